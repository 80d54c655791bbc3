import { describe, expect, it } from 'vitest';
import { parseKtap } from '../../src/export/index.js';

describe('parseKtap', () => {
  it('reads the counts of each condition, the comments and the plan', () => {
    const r = parseKtap(
      [
        'TAP version 13',
        '1..2',
        '# leak: 200 runs, 200 counted, 2 schedules',
        'not ok 1 leak # seen in 100/200 runs',
        'ok 2 data-missing # seen in 0/200 runs',
        '# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0',
        '',
      ].join('\n'),
    );
    expect(r.plan).toBe(2);
    expect(r.bail).toBeNull();
    expect(r.comments).toEqual(['leak: 200 runs, 200 counted, 2 schedules']);
    expect(r.lines).toEqual([
      { index: 1, name: 'leak', ok: false, seen: 100, runs: 200, skip: null },
      { index: 2, name: 'data-missing', ok: true, seen: 0, runs: 200, skip: null },
    ]);
  });

  it('reads a skip with its reason', () => {
    const r = parseKtap('TAP version 13\n1..1\nok 1 leak # SKIP needs 2 free hugetlb pages of 2048 kB\n');
    expect(r.lines).toEqual([
      {
        index: 1,
        name: 'leak',
        ok: true,
        seen: null,
        runs: null,
        skip: 'needs 2 free hugetlb pages of 2048 kB',
      },
    ]);
  });

  it('reads a bail-out', () => {
    expect(parseKtap('TAP version 13\nBail out! mmap: Invalid argument\n').bail).toBe(
      'mmap: Invalid argument',
    );
  });
});
