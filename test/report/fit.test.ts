import { describe, expect, it } from 'vitest';
import { chunks, fit, TEXT_WIDTH } from '../../src/report/fit.js';
import { cli } from '../cli/helpers.js';

describe('fit', () => {
  it('wraps chunks at the width, the rest indented, a call never cut from its >', () => {
    const text = `T0: dio -> blkdev_direct_IO() via ${Array.from({ length: 12 }, (_, i) => `function_${i}`).join(' > ')} = -529`;
    const lines = fit(chunks(text), '  1. ', '       ', 60);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {7}(> function_\d+|= -529)/);
    expect(lines.join(' ').replace(/ +/g, ' ')).toBe(`  1. ${text}`.replace(/ +/g, ' '));
  });

  it('changes nothing in a line that fits, double spaces included', () => {
    const line = 'folio 2: ref=1 map=1 pin=0 data="A  B" -> ref=2 map=1 pin=0 data="A  B" = 1';
    expect(fit(chunks(line), '       ', '         ')).toEqual([`       ${line}`]);
  });

  it('keeps a chunk longer than the width whole, on a line of its own', () => {
    const long = 'x'.repeat(30);
    expect(fit(['a', long, 'b'], '', '  ', 20)).toEqual(['a', `  ${long}`, '  b']);
  });
});

describe('text traces fit 100 columns', () => {
  it('explain: every line but the replay command within TEXT_WIDTH', () => {
    const r = cli(
      'explain',
      'scenarios/dio-read-fork.pin',
      '--kernel',
      'v4.19,v6.12',
      '--axis',
      'path=blkdev',
      '--quiet',
    );
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // The v4.19 async submission's calls run past 100 columns unwrapped.
    expect(lines.some((l) => /^ {7}> /.test(l))).toBe(true);
    for (const l of lines.filter((x) => !/^ +replay: pinlab replay /.test(x)))
      expect(l.length, l).toBeLessThanOrEqual(TEXT_WIDTH);
  });
});
