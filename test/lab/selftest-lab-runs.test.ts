import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_GUP_LONGTERM } from '../../src/lab/kernel-run.js';
import { compareSelftest, type LabMachine } from '../../src/lab/selftest-compare.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { COW } from '../../src/selftests/cow/index.js';
import type { Selftest } from '../../src/selftests/selftest.js';

/**
 * The real outputs of the lab's selftest runs (docs/conformance/README.md, section 5): `pinlab lab
 * --cow --gup-longterm --save-selftests`, Debian's 7.2.13 and 6.12.117 running their own tree's cow.c
 * and gup_longterm.c, and 6.1.176 and 5.10.262 running the 6.12 tree's (neither has them), each with
 * the lab's gup_test stand-in loaded and 64 free 2 MiB hugetlb pages, no 1 GiB one.
 */
function real(file: string): string {
  return readFileSync(new URL(`../../docs/conformance/${file}`, import.meta.url), 'utf8');
}

function profile(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

const VM: LabMachine = { gupTestStandIn: true, hugetlbPages: { 2048: 64, 1048576: 0 } };

describe("the lab's selftest runs against the model", () => {
  it('7.2: `pinlab cow --selftests v7.2` prints what the real cow printed, byte for byte', () => {
    const text = real('cow-7.2-lab.ktap');
    const c = compareSelftest(COW, profile('v7.2'), text, { ...VM, selftestsOf: 'v7.2' });
    const model = COW.run(profile('v7.2'), c.machine);
    // The one line pinlab adds: which edition of cow.c it follows, on which profile.
    const ours = model.lines.filter((l) => !l.startsWith('# pinlab: '));
    expect(model.lines.length - ours.length).toBe(1);
    expect(`${ours.join('\n')}\n`).toBe(text);
    expect(model.exit).toBe(0);
    expect(c.counts).toEqual({ agree: 761, disagree: 0, skipped: 0, unmatched: 0 });
  });

  const runs: [string, string, 'v7.2' | 'v6.12', Selftest, Record<string, number>][] = [
    ['gup_longterm-7.2-lab.ktap', 'v7.2', 'v7.2', LAB_GUP_LONGTERM, { agree: 40, skipped: 0 }],
    ['cow-6.1-lab.ktap', 'v6.1.y', 'v6.12', COW, { agree: 172, skipped: 18 }],
    ['gup_longterm-6.1-lab.ktap', 'v6.1.y', 'v6.12', LAB_GUP_LONGTERM, { agree: 40, skipped: 10 }],
    ['cow-6.12-lab.ktap', 'v6.12.y', 'v6.12', COW, { agree: 760, skipped: 18 }],
    ['gup_longterm-6.12-lab.ktap', 'v6.12.y', 'v6.12', LAB_GUP_LONGTERM, { agree: 40, skipped: 10 }],
    ['cow-5.10-lab.ktap', 'v5.10.y', 'v6.12', COW, { agree: 169, skipped: 21 }],
    ['gup_longterm-5.10-lab.ktap', 'v5.10.y', 'v6.12', LAB_GUP_LONGTERM, { agree: 40, skipped: 10 }],
  ];
  it.each(runs)('%s on %s (the %s tree): every case that ran on both agrees', (file, p, tree, test, n) => {
    const c = compareSelftest(test, profile(p), real(file), { ...VM, selftestsOf: tree });
    expect(c.counts).toEqual({ ...n, disagree: 0, unmatched: 0 });
  });

  it('6.1: the 10 real failures are the ones the model predicts: R/O pins of non-anonymous memory before v6.2', () => {
    const c = compareSelftest(COW, profile('v6.1.y'), real('cow-6.1-lab.ktap'), {
      ...VM,
      selftestsOf: 'v6.12',
    });
    const failed = c.cases.filter((x) => x.real.startsWith('fail'));
    expect(failed).toHaveLength(10);
    for (const x of failed) {
      expect(x.run).toMatch(/^R\/O longterm GUP(-fast)? pin \.\.\. with /);
      expect(x.model).toMatch(/^fail/);
    }
  });

  const exact: [string, string, 'v6.12', number][] = [
    ['cow-6.12-lab.ktap', 'v6.12.y', 'v6.12', 0],
    ['cow-5.10-lab.ktap', 'v5.10.y', 'v6.12', 1],
  ];
  it.each(exact)('%s: `pinlab cow` on %s (the %s tree) prints it byte for byte', (file, p, tree, exit) => {
    const text = real(file);
    const c = compareSelftest(COW, profile(p), text, { ...VM, selftestsOf: tree });
    const model = COW.run(profile(p), c.machine);
    const ours = model.lines.filter((l) => !l.startsWith('# pinlab: '));
    expect(`${ours.join('\n')}\n`).toBe(text);
    expect(model.exit).toBe(exit);
  });

  it('5.10: the 90 real failures are the ones the model predicts: R/O pins, vmsplice and io_uring before v5.19', () => {
    const c = compareSelftest(COW, profile('v5.10.y'), real('cow-5.10-lab.ktap'), {
      ...VM,
      selftestsOf: 'v6.12',
    });
    const failed = c.cases.filter((x) => x.real.startsWith('fail'));
    expect(failed).toHaveLength(90);
    for (const x of failed) {
      expect(x.run).toMatch(
        /^(R\/O (longterm )?GUP(-fast)? pin|R\/O-mapping a page registered as iouring|fork\(\) with an iouring|vmsplice\(\))/,
      );
      expect(x.model).toMatch(/^fail/);
    }
  });
});
