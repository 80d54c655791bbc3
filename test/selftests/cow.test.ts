import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { COW } from '../../src/selftests/cow/index.js';
import type { Ksft, KsftTest } from '../../src/selftests/kselftest.js';
import { DEFAULT_MACHINE, type SelftestMachine } from '../../src/selftests/selftest.js';

/** docs/conformance/points.json: what the real kernel did, with sources. */
interface Point {
  readonly suite: string;
  readonly kernel: string;
  readonly model_kernel?: string | null;
  readonly test?: string;
  readonly kind?: string | null;
  readonly result?: string;
  readonly source: string;
}

const POINTS = JSON.parse(
  readFileSync(new URL('../../docs/conformance/points.json', import.meta.url), 'utf8'),
) as Point[];
const REAL_618 = readFileSync(new URL('../../docs/conformance/cow-6.18-real.ktap', import.meta.url), 'utf8');

function profile(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

const runs = new Map<string, Ksft>();
function cow(kernel: string, machine: SelftestMachine = DEFAULT_MACHINE): Ksft {
  const key = `${kernel} ${machine.thpSizesKb.join(',')}`;
  const k = runs.get(key) ?? COW.run(profile(kernel), machine);
  runs.set(key, k);
  return k;
}

function findAll(k: Ksft, test: string, kind: string | null | undefined): KsftTest[] {
  // A source that names no size ("hugetlb (sizes not listed)") speaks of every size.
  const anySize = kind?.endsWith('(sizes not listed)') ? `${test} ... with ${kind.split(' (')[0]} (` : null;
  const run = kind ? `${test} ... with ${kind}` : test;
  const ts = k.tests.filter((x) => (anySize ? x.run.startsWith(anySize) : x.run === run));
  if (ts.length === 0) throw new Error(`no test '${run}'`);
  return ts;
}

function find(k: Ksft, test: string, kind: string | null | undefined): KsftTest {
  return findAll(k, test, kind)[0] as KsftTest;
}

describe('pinlab cow reproduces the real kernel', () => {
  it('prints every line the real cow.c printed on 6.18, except the cases the machine skipped', () => {
    const ours = cow('v6.18').lines.filter((l) => !l.startsWith('# pinlab:'));
    const real = REAL_618.trimEnd().split('\n');
    expect(ours.length).toBe(real.length);
    let compared = 0;
    real.forEach((line, i) => {
      // CONFIG_GUP_TEST was off on that kernel: the R/O pin cases could not run there, and the
      // totals count them as skips.
      if (line.endsWith('# SKIP gup_test not available') || line.startsWith('# Totals:')) return;
      expect(ours[i]).toBe(line);
      compared++;
    });
    expect(compared).toBeGreaterThan(1000);
  });

  const modelled = POINTS.filter(
    (p) => (p.suite === 'cow' || p.suite === 'anon_cow') && p.test !== undefined && p.result !== 'skip',
  ).flatMap((p) => {
    const kernel = p.model_kernel ?? (p.kernel === 'v6.18' ? 'v6.18' : null);
    return kernel ? [{ ...p, kernel }] : [];
  });

  it.each(modelled.map((p) => [`${p.kernel}: ${p.test} ... ${p.kind ?? ''} -> ${p.result}`, p] as const))(
    'documented point %s',
    (_, p) => {
      // cow.c marks the hugetlb vmsplice failures XFAIL since v6.10; older trees printed them as fails.
      const want = p.result === 'fail' ? ['fail', 'xfail'] : [p.result];
      for (const t of findAll(cow(p.kernel), p.test as string, p.kind))
        expect(want, p.source).toContain(t.outcome);
    },
  );

  it('howells-v8 (the iov_iter extraction series): 190 tests, 8 failing, all vmsplice x hugetlb (seed 001)', () => {
    const k = cow('howells-v8', { ...DEFAULT_MACHINE, thpSizesKb: [2048] });
    expect(k.tests).toHaveLength(190);
    const bad = k.tests.filter((t) => t.outcome === 'fail' || t.outcome === 'xfail');
    expect(bad).toHaveLength(8);
    for (const t of bad) expect(t.run).toMatch(/^vmsplice\(\).* \.\.\. with hugetlb/);
  });

  it('the R/O longterm pins of non-anonymous pages become reliable in v6.2', () => {
    const nonAnon = (k: Ksft): KsftTest[] => k.tests.filter((t) => t.run.startsWith('R/O longterm GUP'));
    expect(nonAnon(cow('v6.1')).map((t) => t.outcome)).toEqual(Array(12).fill('fail'));
    expect(nonAnon(cow('v6.2')).map((t) => t.outcome)).toEqual(Array(12).fill('pass'));
  });

  it('skips what the release lacks, with the reason', () => {
    const k = cow('v5.10');
    expect(find(k, 'Basic COW after fork()', 'PTE-mapped THP (16 kB)').outcome).toBe('skip');
    expect(find(k, 'Basic COW after fork() when collapsing before fork()', null).msg).toBe(
      'MADV_COLLAPSE failed: Invalid argument',
    );
    const noSwap = COW.run(profile('v6.18'), { ...DEFAULT_MACHINE, swap: false, thpSizesKb: [2048] });
    expect(find(noSwap, 'Basic COW after fork()', 'swapped out base page').msg).toBe(
      'MADV_PAGEOUT did not work, is swap enabled?',
    );
  });

  it('before the COW fixes (v5.9-v5.18) a R/O pin on a R/O-mapped shared page is unreliable', () => {
    expect(find(cow('v5.10'), 'R/O GUP pin on R/O-mapped shared page', 'base page').outcome).toBe('fail');
    expect(find(cow('v5.19'), 'R/O GUP pin on R/O-mapped shared page', 'base page').outcome).toBe('pass');
  });
});
