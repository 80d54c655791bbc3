import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadViewerAssets, serveViewer } from '../../src/cli/view.js';
import { viewerCsp, viewerPage } from '../../src/report/html.js';
import type { TraceFile } from '../../src/report/trace-file.js';
import { launch, missing, open as openIn, shot, text } from './chromium.js';
import { cli, dioReadForkTrace, explainTrace, hostileTrace, PAYLOAD, tmp } from './fixtures.js';

if (missing) console.warn(`SKIPPED the trace viewer's browser tests: ${missing}`);

function htmlFile(trace: string): string {
  const out = join(tmp(), 'trace.html');
  const r = cli('view', '--html', trace, '-o', out);
  if (r.code !== 0) throw new Error(r.err);
  return out;
}

describe.skipIf(missing !== null)('the trace viewer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  const open = (
    url: string,
    allowed?: string,
    viewport?: { width: number; height: number },
  ): Promise<{ page: Page; problems: string[] }> => openIn(browser, url, allowed, viewport);

  it('steps by keyboard to the violating step of dio-read-fork on v6.4 and marks its folio', async () => {
    const trace = dioReadForkTrace('v6.4');
    const { page, problems } = await open(pathToFileURL(htmlFile(trace)).href);
    const file = JSON.parse(readFileSync(trace, 'utf8')) as TraceFile;
    const steps = file.results[0]?.trace ?? [];
    const k = steps.findIndex((s) => s.violations.length > 0) + 1;
    expect(k).toBeGreaterThan(0);

    await page.keyboard.press('End');
    expect(await text(page, '.position')).toBe(`step ${steps.length} of ${steps.length}`);
    await page.keyboard.press('Home');
    expect(await text(page, '.position')).toBe(`step 0 of ${steps.length}`);
    for (let i = 0; i < k; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');

    expect(await text(page, '.position')).toBe(`step ${k} of ${steps.length}`);
    expect(await text(page, '.lanes tr.selected')).toContain(`${steps[k - 1]?.fn ?? '?'}()`);
    expect(await text(page, '.finding.invariant .finding-name')).toBe('lost-dio-data');
    const violated = page.locator('.folios tr.violated');
    expect(await violated.count()).toBe(1);
    expect(await violated.getAttribute('data-folio')).toBe('2');
    expect(await page.locator('.folios tr[data-folio="2"] td.changed').allTextContents()).toContain('1');
    await shot(page, 'dio-read-fork-v6.4');
    expect(problems).toEqual([]);
  });

  // A dio-read into a shared file under writeback (four lanes, beside the state) and bench/gup-fork.pin (nine).
  it.each([
    ['dio-read-shared-file-writeback', 'scenarios/dio-read-shared-file-writeback.pin', 'v6.18', 4],
    ['gup-fork', 'bench/gup-fork.pin', 'v5.4', 9],
  ])(
    'lays out %s with its lanes apart from the state pane, at 1280 and 800 px',
    async (name, pin, kernel, lanes) => {
      const html = pathToFileURL(htmlFile(explainTrace(pin, kernel))).href;
      for (const width of [1280, 800]) {
        const { page, problems } = await open(html, 'file:', { width, height: 800 });
        expect(await page.locator('.lanes thead th[scope=col]').count()).toBe(lanes + 1);
        await page.keyboard.press('End');
        // The page never scrolls sideways, and the lanes and the state pane do not overlap.
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        const lanesBox = await page.locator('.lanes').boundingBox();
        const stateBox = await page.locator('.state').boundingBox();
        if (!lanesBox || !stateBox) throw new Error('no lanes or state pane');
        const apart =
          lanesBox.y + lanesBox.height <= stateBox.y + 1 || lanesBox.x + lanesBox.width <= stateBox.x + 1;
        expect(apart).toBe(true);
        // At 1280 px every lane shows at once, and the violating step is on top where it is drawn.
        if (width === 1280) {
          for (const th of await page.locator('.lanes thead th[scope=col]').all()) {
            const b = await th.boundingBox();
            expect((b?.x ?? width) + (b?.width ?? 0)).toBeLessThanOrEqual(width);
          }
          const bad = page.locator('.lanes tr.bad .step').first();
          await bad.scrollIntoViewIfNeeded();
          // Evaluated as text: the tests are compiled without the DOM's types.
          const onTop = await page.evaluate(`(() => {
          const el = document.querySelector('.lanes tr.bad .step');
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return top !== null && el.contains(top);
        })()`);
          expect(onTop).toBe(true);
        }
        await shot(page, `${name}-${width}`);
        expect(problems).toEqual([]);
        await page.close();
      }
    },
    600_000,
  );

  it('shows the bios (flags, pages) and the direct I/O beside the folios, marking what a step changed', async () => {
    const trace = explainTrace('scenarios/dio-read-shared-file-writeback.pin', 'v6.18');
    const { page, problems } = await open(pathToFileURL(htmlFile(trace)).href);
    const row = (table: string, key: string): string =>
      `section[aria-label="${table}"] tr[data-key="${key}"]`;
    const cells = async (table: string, key: string): Promise<string[]> =>
      page.locator(`${row(table, key)} td`).allTextContents();
    const changed = async (table: string, key: string): Promise<string[]> =>
      page.locator(`${row(table, key)} td.changed`).allTextContents();
    expect(await page.locator('section[aria-label="Bios"]').count()).toBe(0);
    // Step 1, iomap_dio_rw(): the read bio appears, its user page pinned and BIO_PAGE_PINNED set.
    await page.keyboard.press('ArrowRight');
    expect(await cells('Bios', '0')).toEqual([
      'read (dio 0)',
      'in-flight',
      'BIO_PAGE_PINNED',
      'folio 2 (pin)',
    ]);
    expect(await changed('Bios', '0')).toEqual([
      'read (dio 0)',
      'in-flight',
      'BIO_PAGE_PINNED',
      'folio 2 (pin)',
    ]);
    expect((await cells('Direct I/O', '0')).slice(1)).toEqual(['iomap', 'read', '0', '1', 'no', '—']);
    // Step 3, the device's DMA: only the bio's state changes; writeback's bio holds the page by nothing.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await changed('Bios', '0')).toEqual(['transferred']);
    expect(await cells('Bios', '1')).toEqual(['write', 'in-flight', '—', 'folio 2 (none)']);
    expect(await changed('Direct I/O', '0')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows each file's page cache with its pages' writeback state, and what is on disk", async () => {
    const trace = explainTrace('scenarios/dio-read-shared-file-writeback.pin', 'v6.18');
    const { page, problems } = await open(pathToFileURL(htmlFile(trace)).href);
    const file = page.locator('section[aria-label="Files"] tr[data-key="0"] td');
    expect(await file.allTextContents()).toEqual([
      'f',
      'xfs',
      '[0] folio 2 dirty uptodate lru buffers',
      '[0] A',
      'yes',
    ]);
    // Step 2, the flusher's write_cache_pages(): the cached page goes from dirty to writeback.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('section[aria-label="Files"] td.changed').allTextContents()).toEqual([
      '[0] folio 2 writeback uptodate lru buffers',
    ]);
    expect(
      await page.locator('section[aria-label="Held by actors"] tr[data-key="T0"] td').allTextContents(),
    ).toEqual(['—', '—']);
    expect(problems).toEqual([]);
  });

  it("shows a pipe's buffers and the reference each holds", async () => {
    const trace = explainTrace('scenarios/vmsplice-child-unmap.pin', 'v5.4');
    const { page, problems } = await open(pathToFileURL(htmlFile(trace)).href);
    const pipe = page.locator('section[aria-label="Pipes"] tr[data-key="0"] td');
    // Step 2, vmsplice(): the child's page enters the pipe with a FOLL_GET reference.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await pipe.allTextContents()).toEqual(['p', 'folio 2 (ref)']);
    expect(await page.locator('section[aria-label="Pipes"] td.changed').allTextContents()).toEqual([
      'folio 2 (ref)',
    ]);
    // Step 5, pipe_read(): the buffer is consumed.
    await page.keyboard.press('End');
    expect(await pipe.allTextContents()).toEqual(['p', '—']);
    expect(problems).toEqual([]);
  });

  it('offers one release button per kernel of the file', async () => {
    const { page, problems } = await open(pathToFileURL(htmlFile(dioReadForkTrace('v6.4,v6.5'))).href);
    expect(await page.locator('.release').allTextContents()).toEqual(['v6.4 sometimes', 'v6.5 never']);
    await page.locator('.release', { hasText: 'v6.5' }).click();
    expect(await text(page, '.no-run')).toBe('sync-parent-lost is never on v6.5: no run to show.');
    await page.locator('.release', { hasText: 'v6.4' }).click();
    expect(await text(page, '.position')).toMatch(/^step 0 of \d+$/);
    expect(problems).toEqual([]);
  });

  it('renders a trace with <script> in every string field as text, running none of it', async () => {
    const trace = join(tmp(), 'hostile.json');
    writeFileSync(trace, JSON.stringify(hostileTrace()));
    const { page, problems } = await open(pathToFileURL(htmlFile(trace)).href);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => 'pwned' in globalThis)).toBe(false);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img').count()).toBe(0);
    expect(await text(page, '.lanes thead')).toContain(`T0${PAYLOAD}`);
    expect(await text(page, '.finding-name')).toBe(`lost-dio-data${PAYLOAD}`);
    expect(await text(page, '.folios tbody')).toContain('"D<script>window.pwned=1</script>');
    expect(await text(page, '.folios tbody')).toContain(`dirty${PAYLOAD}`);
    expect(await text(page, '.ptes tbody')).toContain(`buf${PAYLOAD}`);
    await expect.poll(() => page.title()).toContain(PAYLOAD); // set by a passive effect, after a frame
    expect(problems).toEqual([]);
  });

  it('says what is wrong with a bad trace instead of showing it', async () => {
    const html = readFileSync(htmlFile(dioReadForkTrace()), 'utf8').replace(
      /(<script type="application\/json" id="pinlab-trace">)[^<]*/,
      '$1{"pinlab": 1, "results": [{"scenario": 1}]}',
    );
    const out = join(tmp(), 'bad.html');
    writeFileSync(out, html);
    const { page, problems } = await open(pathToFileURL(out).href);
    expect(await text(page, 'h1')).toBe('pinlab cannot show this trace');
    expect(await text(page, '[role=alert]')).toBe('results[0].scenario: expected a string');
    expect(problems).toEqual([]);
  });

  it('runs under the served page’s Content-Security-Policy header', async () => {
    const assets = loadViewerAssets();
    if (typeof assets === 'string') throw new Error(assets);
    const file = JSON.parse(readFileSync(dioReadForkTrace(), 'utf8')) as TraceFile;
    const s = await serveViewer(viewerPage(file, assets), viewerCsp(assets));
    try {
      const { page, problems } = await open(s.url, s.url);
      await page.keyboard.press('End');
      expect(await text(page, '.position')).toMatch(/^step (\d+) of \1$/);
      expect(problems).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
