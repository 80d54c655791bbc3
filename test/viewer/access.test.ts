import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, missing, open, shot } from './chromium.js';
import { cli, DIO_READ_FORK, dioReadForkTrace, explorerHtml, tmp } from './fixtures.js';

if (missing) console.warn(`SKIPPED the viewer's accessibility tests: ${missing}`);

/**
 * Every element with text of its own whose contrast with what is behind it is below WCAG 2's AA level
 * (4.5:1; 3:1 for large text), as `text (ratio)`. The colours are the computed ones; a translucent
 * background is laid over white. Disabled controls are exempt, as WCAG has them.
 */
const LOW_CONTRAST = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, alpha, under) => top.map((v, i) => v * alpha + under[i] * (1 - alpha));
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      const a = c.length > 3 ? c[3] : 1;
      if (a > 0) return over(c.slice(0, 3), a, [255, 255, 255]);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own || el.closest(':disabled') || el.closest('option, script, style')) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const fg = rgb(st.color);
    const bg = background(el);
    const fgc = over(fg.slice(0, 3), fg.length > 3 ? fg[3] : 1, bg);
    const [hi, lo] = [lum(fgc), lum(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(st.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(el.textContent.trim().slice(0, 40) + ' (' + ratio.toFixed(2) + ')');
  }
  return out;
})()`;

/** Controls with no accessible name (text, aria-label, or a label around them). */
const UNNAMED = `(() => [...document.querySelectorAll('button, select, a[href], input')]
  .filter((el) => !(el.getAttribute('aria-label') || el.textContent.trim() || el.closest('label')))
  .map((el) => el.outerHTML.slice(0, 80)))()`;

/** Number every control the keyboard should reach, in document order, and focus the first; return how many. */
const NUMBER_CONTROLS = `(() => {
  const all = [...document.querySelectorAll('button:not(:disabled), select:not(:disabled), a[href], input:not(:disabled), [tabindex]')];
  all.forEach((el, i) => el.setAttribute('data-focus-index', String(i)));
  all[0]?.focus();
  return all.length;
})()`;

/** The focused control's number, and whether it shows a visible focus ring. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  const st = el ? getComputedStyle(el) : null;
  return [Number(el?.getAttribute('data-focus-index') ?? -1), !!st && st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2];
})()`;

/**
 * Tab through the page once from its first control: every control is reached, in document order (no
 * positive tabindex reorders it), each with a visible focus ring.
 */
async function tabOrder(page: Page): Promise<{ order: number[]; count: number; unringed: number[] }> {
  const count = await page.evaluate<number>(NUMBER_CONTROLS);
  const order: number[] = [0];
  const unringed: number[] = [];
  for (let i = 1; i < count; i++) {
    await page.keyboard.press('Tab');
    const [at, ring] = await page.evaluate<[number, boolean]>(FOCUSED);
    order.push(at);
    if (!ring) unringed.push(at);
  }
  return { order, count, unringed };
}

describe.skipIf(missing !== null)('the viewer and the explorer: keyboard and accessibility', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });

  function traceHtml(): string {
    const out = join(tmp(), 'trace.html');
    const r = cli('view', '--html', dioReadForkTrace(), '-o', out);
    if (r.code !== 0) throw new Error(r.err);
    return out;
  }

  const pages: [string, () => string][] = [
    ['the trace viewer', () => pathToFileURL(traceHtml()).href],
    [
      'the explorer comparing two releases',
      () =>
        `${pathToFileURL(explorerHtml(...DIO_READ_FORK, '--kernel', 'v6.4', '--kernel-b', 'v6.5')).href}#replay=${encodeURIComponent('dio-read-fork[path=blkdev]@v6.4:0.1.1.1.2.2.0')}&vs=v6.5&at=6`,
    ],
  ];

  it.each(pages)(
    '%s: text contrast at least 4.5:1, every control named, reached by Tab in order with a focus ring',
    async (name, url) => {
      for (const width of [1280, 800]) {
        const { page, problems } = await open(browser, url(), 'file:', { width, height: 800 });
        expect(await page.evaluate(LOW_CONTRAST)).toEqual([]);
        // The check can fail: light grey on white is 1.9:1.
        await page.evaluate(`document.querySelector('.hint').style.color = '#bbbbbb'`);
        expect(await page.evaluate(LOW_CONTRAST)).toEqual(['keys: ← → Home End (1.92)']);
        await page.evaluate(`document.querySelector('.hint').style.color = ''`);
        expect(await page.evaluate(UNNAMED)).toEqual([]);
        const { order, count, unringed } = await tabOrder(page);
        expect(count).toBeGreaterThan(10);
        expect(order).toEqual([...Array(count).keys()]);
        expect(unringed).toEqual([]);
        await shot(page, `access-${name.split(' ').at(-1) ?? ''}-${width}`);
        expect(problems).toEqual([]);
        await page.close();
      }
    },
  );

  it('names its parts for assistive technology: the lanes, the tables, the selected step', async () => {
    const { page, problems } = await open(browser, pages[1]?.[1]() ?? '');
    const regions = await page.evaluate(
      `[...document.querySelectorAll('section[aria-label]')].map((e) => e.getAttribute('aria-label'))`,
    );
    expect(regions).toEqual(
      expect.arrayContaining([
        'steps by actor on v6.4',
        'steps by actor on v6.5',
        'selected step',
        'enabled steps',
        'folios',
        'page tables',
        'Bios',
        'Held by actors',
      ]),
    );
    expect(await page.locator('.lanes tr[aria-current="step"]').count()).toBe(2);
    expect(await page.locator('[role=status]').count()).toBeGreaterThan(0);
    expect(await page.locator('select[aria-label="release"]').inputValue()).toBe('v6.4');
    expect(problems).toEqual([]);
  });
});
