import { describe, expect, it } from 'vitest';
import { compareSelftest, detectedMachine, pairCases, parseKsft } from '../../src/lab/selftest-compare.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { COW } from '../../src/selftests/cow/index.js';
import { DEFAULT_MACHINE } from '../../src/selftests/selftest.js';

function profile(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

describe('a real selftest run against the model', () => {
  it('reads kselftest result lines with their [RUN] line', () => {
    const text = [
      'TAP version 13',
      '# [RUN] Basic COW after fork() ... with base page',
      'ok 1 No leak from parent into child',
      '# [RUN] vmsplice() + unmap in child ... with hugetlb (2048 kB)',
      'ok 2 # XFAIL Leak from parent into child',
      'ok 3 # SKIP gup_test not available',
      'not ok 4 Longterm R/O pin is reliable',
    ].join('\n');
    expect(parseKsft(text).map((t) => [t.num, t.outcome, t.msg, t.run.slice(0, 9)])).toEqual([
      [1, 'pass', 'No leak from parent into child', 'Basic COW'],
      [2, 'xfail', 'Leak from parent into child', 'vmsplice('],
      [3, 'skip', 'gup_test not available', 'vmsplice('],
      [4, 'fail', 'Longterm R/O pin is reliable', 'vmsplice('],
    ]);
  });

  it('tells the model the machine the real program detected', () => {
    const text =
      '# [INFO] detected THP size: 16 KiB\n# [INFO] detected THP size: 2048 KiB\n# [INFO] detected hugetlb page size: 2048 KiB\n';
    expect(detectedMachine(text)).toEqual({
      thpSizesKb: [16, 2048],
      pmdSizeKb: 2048,
      hugetlbSizesKb: [2048],
      hugetlbPages: {},
      swap: true,
      hugeZeropage: false,
      gupTest: false,
      gupTestStandIn: false,
      selftestsOf: null,
    });
    // The 7.2 tree prints no line for an enabled huge zeropage; the lab says what it set up.
    const lab = {
      selftestsOf: 'v7.2' as const,
      gupTestStandIn: true,
      hugetlbPages: { 2048: 64, 1048576: 0 },
    };
    expect(detectedMachine(text, lab)).toMatchObject({ hugeZeropage: true, ...lab });
    expect(detectedMachine(`${text}# Huge zeropage not enabled\n`, lab).hugeZeropage).toBe(false);
  });

  it("agrees case by case with the model's own output, and finds one changed result", () => {
    const machine = { ...DEFAULT_MACHINE, thpSizesKb: [2048], hugetlbSizesKb: [2048], gupTest: false };
    const model = COW.run(profile('v6.12'), machine);
    const same = compareSelftest(COW, profile('v6.12'), model.lines.join('\n'));
    expect(same.counts.disagree).toBe(0);
    expect(same.counts.unmatched).toBe(0);
    expect(same.counts.agree).toBeGreaterThan(50);
    const first = model.tests.findIndex((t) => t.outcome === 'pass');
    const changed = model.tests.map((t, i) => (i === first ? { ...t, outcome: 'fail' as const } : t));
    const paired = pairCases(changed, model.tests);
    expect(paired.counts.disagree).toBe(1);
    expect(paired.cases[first]?.outcome).toBe('disagree');
  });

  it('pairs no case whose [RUN] line differs, and counts a missing one', () => {
    const model = [{ num: 1, run: 'a', outcome: 'pass' as const, msg: '' }];
    expect(pairCases([{ num: 1, run: 'b', outcome: 'pass' }], model).counts.unmatched).toBe(1);
    expect(pairCases([], model).counts.unmatched).toBe(1);
    expect(pairCases([{ num: 1, run: 'a', outcome: 'skip' }], model).counts.skipped).toBe(1);
  });
});
