import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadViewerAssets, serveViewer } from '../../src/cli/view.js';
import { viewerCsp } from '../../src/report/html.js';
import { profileNames } from '../../src/model/profile/profiles.js';
import type { TraceFile } from '../../src/report/trace-file.js';
import { launch, missing, open, shot, text } from './chromium.js';
import { DIO_READ_FORK, explainTrace, explorerHtml, swapGrabPin } from './fixtures.js';

if (missing) console.warn(`SKIPPED the explorer's browser tests: ${missing}`);

/** The run explain gives for dio-read-fork[path=blkdev]'s lost-dio-data on v6.4: its token and steps. */
function lostDioData(): { token: string; fns: string[]; steps: { actor: number; choice: number }[] } {
  const file = JSON.parse(readFileSync(explainTrace(DIO_READ_FORK[0], 'v6.4'), 'utf8')) as TraceFile;
  const r = file.results.find((x) => x.condition === 'lost-dio-data' && x.trace !== null);
  if (!r?.trace || r.replay === null) throw new Error('no lost-dio-data run');
  return {
    token: r.replay,
    fns: r.trace.map((s) => `${s.fn}()`),
    steps: r.trace.map((s) => ({ actor: s.actor, choice: s.choice })),
  };
}

/** Press Tab until the focused element matches `selector` (at most once round the page). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`Tab never reaches ${selector}`);
}

/** One parameter of the page's address, polled: the address follows the view, it does not lead it. */
const hashParam = (page: Page, key: string) =>
  expect.poll(async () =>
    new URLSearchParams((await page.evaluate<string>('location.hash')).slice(1)).get(key),
  );

describe.skipIf(missing !== null)('the explorer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  it.each([1280, 800])(
    'runs dio-read-fork step by step from the keyboard to lost-dio-data, goes back, and reopens the state from its link (served, %i px)',
    async (width) => {
      const run = lostDioData();
      const assets = loadViewerAssets();
      if (typeof assets === 'string') throw new Error(assets);
      const html = readFileSync(explorerHtml(...DIO_READ_FORK, '--kernel', 'v6.4'), 'utf8');
      const s = await serveViewer(html, viewerCsp(assets));
      try {
        const { page, problems } = await open(browser, s.url, s.url, { width, height: 800 });
        expect(await text(page, '.position')).toBe('step 0 of 0');
        // Each step of explain's run is among the enabled ones, under the name the trace gives it.
        for (const [i, t] of run.steps.entries()) {
          const button = `.next[data-actor="${t.actor}"][data-choice="${t.choice}"]`;
          expect(await text(page, `${button} code`)).toBe(run.fns[i]);
          await tabTo(page, button);
          await page.keyboard.press('Enter');
          expect(await text(page, '.position')).toBe(`step ${i + 1} of ${i + 1}`);
        }
        expect(await page.locator('.lanes .step code').allTextContents()).toEqual(run.fns);
        // The invariant fires on the step that breaks it, in the lanes and in the step's findings.
        expect(await page.locator('.lanes tr.bad').getAttribute('data-step')).toBe(String(run.steps.length));
        expect(await text(page, '.lanes tr.bad .violation-tag')).toBe('!! lost-dio-data');
        expect(await text(page, '.finding.invariant .finding-name')).toBe('lost-dio-data');
        await hashParam(page, 'replay').toBe(run.token);
        await shot(page, `explore-dio-read-fork-${width}`);

        // Back one step: no finding there, and the step that would break the invariant says so.
        await page.keyboard.press('ArrowLeft');
        const n = run.steps.length;
        expect(await text(page, '.position')).toBe(`step ${n - 1} of ${n}`);
        expect(await page.locator('.finding.invariant').count()).toBe(0);
        expect(await page.locator('.next.breaks').allTextContents()).toEqual([
          expect.stringContaining('!! would violate lost-dio-data'),
        ]);
        const link = await page.locator('a.reopen').getAttribute('href');
        expect(link).not.toBeNull();
        const folios = await text(page, '.folios tbody');

        // The link reopens that very state: the same path, the same step, the same folios.
        const again = await open(browser, new URL(link ?? '', s.url).href, s.url, { width, height: 800 });
        expect(await text(again.page, '.position')).toBe(`step ${n - 1} of ${n}`);
        expect(await text(again.page, '.folios tbody')).toBe(folios);
        expect(await again.page.locator('.lanes .step code').allTextContents()).toEqual(run.fns);

        // Picking another step there replaces the rest of the path.
        const other = again.page.locator('.next:not(.breaks)').first();
        const fn = await other.locator('code').textContent();
        await other.focus();
        await again.page.keyboard.press('Enter');
        expect(await text(again.page, '.position')).toBe(`step ${n} of ${n}`);
        expect(await text(again.page, '.lanes tr.selected .step code')).toBe(fn);
        await hashParam(again.page, 'replay').not.toBe(run.token);
        expect(again.problems).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await s.close();
      }
    },
  );

  it("says each condition's value in a final state, and none before it", async () => {
    const file = JSON.parse(readFileSync(explainTrace(DIO_READ_FORK[0], 'v6.4'), 'utf8')) as TraceFile;
    const r = file.results.find((x) => x.condition === 'sync-parent-lost' && x.trace !== null);
    if (!r?.replay) throw new Error('no sync-parent-lost run');
    const { page, problems } = await open(
      browser,
      pathToFileURL(explorerHtml(DIO_READ_FORK[0], '--replay', r.replay)).href,
    );
    expect(await text(page, '.position')).toBe(`step ${r.trace?.length ?? 0} of ${r.trace?.length ?? 0}`);
    expect(await page.locator('.next').count()).toBe(0);
    expect(await text(page, '.next-steps h2')).toBe('Next step (none enabled)');
    const said = await page.locator('.finding.condition').allTextContents();
    expect(said).toEqual([
      'sync-parent-lost exists condition: true in this final state',
      'async-parent-lost exists condition: true in this final state',
    ]);
    // One step earlier the run goes on: no condition is judged.
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.finding.condition').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it.each([1280, 800])(
    'shows the same path on v6.4 and v6.5 side by side, the first step that differs marked (%i px)',
    async (width) => {
      const run = lostDioData();
      const url = `${pathToFileURL(explorerHtml(...DIO_READ_FORK, '--kernel', 'v6.4')).href}#replay=${encodeURIComponent(run.token)}`;
      const { page, problems } = await open(browser, url, 'file:', { width, height: 800 });
      expect(await page.locator('.side').count()).toBe(0);
      // Choose the second release from the keyboard.
      await tabTo(page, 'select[aria-label="compare with"]');
      for (let i = 0; i <= profileNames().indexOf('v6.5'); i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab'); // the arrow keys step the run again
      await hashParam(page, 'vs').toBe('v6.5');
      const diff = page.locator('.difference.found');
      expect(await diff.getAttribute('data-step')).toBe('1');
      expect(await diff.getAttribute('data-why')).toBe('other');
      expect(await diff.textContent()).toMatch(
        /^First difference: step 1 calls .* on v6\.4 and .* on v6\.5\.$/,
      );
      expect(await page.locator('.side-name').allTextContents()).toEqual(['v6.4', 'v6.5']);
      for (const side of await page.locator('.side').all())
        expect(await side.locator('tr.differs').getAttribute('data-step')).toBe('1');
      // v6.4 reads into the user page with a reference, v6.5 with a pin (BIO_PAGE_PINNED); on v6.5 the
      // last step violates nothing.
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      const bio = (i: number): string =>
        `.side:nth-of-type(${i}) section[aria-label="Bios"] tr[data-key="0"] td`;
      expect(await page.locator(bio(2)).allTextContents()).toEqual([
        'read (dio 0)',
        'in-flight',
        '—',
        'folio 2 (ref)',
      ]);
      expect(await page.locator(bio(3)).allTextContents()).toEqual([
        'read (dio 0)',
        'in-flight',
        'BIO_PAGE_PINNED',
        'folio 2 (pin)',
      ]);
      await page.keyboard.press('End');
      const sides = await page.locator('.side').all();
      expect(await sides[0]?.locator('tr.bad').count()).toBe(1);
      expect(await sides[1]?.locator('tr.bad').count()).toBe(0);
      // Side by side at 1280 px, one above the other at 800; the page never scrolls sideways.
      const [a, b] = await Promise.all(sides.map((x) => x.boundingBox()));
      if (!a || !b) throw new Error('no sides');
      if (width === 1280) expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
      else expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await shot(page, `explore-compare-v6.4-v6.5-${width}`);
      expect(problems).toEqual([]);
    },
  );

  it('marks a step the second release cannot take, and says when a release cannot run the scenario', async () => {
    // uring-unregister-inflight's run on v6.13: on v6.12 its second step (the unregister) waits for
    // the read instead of returning, and the third is not enabled.
    const token = 'uring-unregister-inflight@v6.13:0.1.1.1.2.2.0';
    const html = explorerHtml(
      'scenarios/uring-unregister-inflight.pin',
      '--replay',
      token,
      '--kernel-b',
      'v6.12',
    );
    const { page, problems } = await open(browser, pathToFileURL(html).href, 'file:', {
      width: 1280,
      height: 800,
    });
    const diff = page.locator('.difference.found');
    expect(await diff.getAttribute('data-why')).toBe('other');
    expect(await diff.textContent()).toBe(
      'First difference: step 2 returns 0 on v6.13 and returns nothing on v6.12.',
    );
    const sides = await page.locator('.side').all();
    expect(await sides[0]?.locator('.step code').count()).toBe(7);
    expect(await sides[1]?.locator('.step code').count()).toBe(2);
    expect(await sides[1]?.locator('tr.differs').getAttribute('data-step')).toBe('2');
    expect(await sides[1]?.locator('tr.stops').getAttribute('data-step')).toBe('3');
    expect(await sides[1]?.locator('tr.stops .absent').textContent()).toBe(
      'not enabled on this release: the path stops here',
    );
    expect(await sides[1]?.locator('.state > .absent').textContent()).toBe(
      'Step 7 is past where this path stops on this release.',
    );
    await shot(page, 'explore-disabled-v6.13-v6.12-1280');
    // pin_user_pages() is not in v4.19: the explorer says so instead of running it.
    const pin = pathToFileURL(explorerHtml(swapGrabPin(), '--kernel', 'v6.4')).href;
    const old = await open(browser, `${pin}#replay=${encodeURIComponent('swap-grab@v6.4:0')}&vs=v4.19`);
    expect(await text(old.page, '.notice')).toMatch(/^v4\.19 cannot run T0's operation 1 \(/);
    expect([...problems, ...old.problems]).toEqual([]);
  });

  it('says so when the model cannot run a what-if, as check does, instead of a blank page', async () => {
    const html = pathToFileURL(
      explorerHtml('scenarios/force-write-hugetlb-ro.pin', '--kernel', 'v6.18'),
    ).href;
    const token = 'force-write-hugetlb-ro@v6.18[cow.reuse=refcount]:0';
    const { page, problems } = await open(browser, `${html}#replay=${encodeURIComponent(token)}`);
    expect(await text(page, '.notice')).toBe(
      'the model cannot run this: __getUserPages: fault loop did not converge',
    );
    expect(await text(page, 'select[aria-label="release"]')).toContain('v6.18[cow.reuse=refcount]');
    expect(await text(page, '.position')).toBe('step 1 of 1');
    expect(problems).toEqual([]);
  });

  it('shows swap slots and the grabs each actor holds, the cells a step changed marked', async () => {
    const html = pathToFileURL(explorerHtml(swapGrabPin(), '--kernel', 'v6.4')).href;
    const cells = (page: Page, table: string, key: string): Promise<string[]> =>
      page.locator(`section[aria-label="${table}"] tr[data-key="${key}"] td`).allTextContents();
    const changed = (page: Page, table: string): Promise<string[]> =>
      page.locator(`section[aria-label="${table}"] td.changed`).allTextContents();
    // T0 pins first: its grab `h` holds folio 2 by a pin.
    const pinned = await open(browser, `${html}#replay=${encodeURIComponent('swap-grab@v6.4:0')}`);
    expect(await cells(pinned.page, 'Held by actors', 'T0')).toEqual(['h: folio 2 (pin)', 'h=1']);
    expect(await changed(pinned.page, 'Held by actors')).toEqual(['h: folio 2 (pin)', 'h=1']);
    expect(await pinned.page.locator('section[aria-label="Swap slots"]').count()).toBe(0);
    await shot(pinned.page, 'explore-grab-1280');
    // T1 pages the buffer out first: the page goes to swap slot 0, the PTE becomes a swap entry.
    const swapped = await open(browser, `${html}#replay=${encodeURIComponent('swap-grab@v6.4:1')}`);
    expect(await cells(swapped.page, 'Swap slots', '0')).toEqual(['A', '1', '—']);
    expect(await text(swapped.page, '.ptes td.changed')).toBe('swap slot 0, exclusive');
    // T1 reads it back: do_swap_page() maps a new folio; the slot is freed.
    await swapped.page.locator('.next[data-actor="1"]').click();
    expect(await text(swapped.page, '.lanes tr.selected .step code')).toBe('do_swap_page()');
    expect(await cells(swapped.page, 'Held by actors', 'T1')).toEqual(['—', 'r=A']);
    await shot(swapped.page, 'explore-swap-1280');
    expect([...pinned.problems, ...swapped.problems]).toEqual([]);
  });
});
