import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { ANON_TEST_CASES } from '../../src/selftests/cow/cases.js';
import { anonText, COW, runCase } from '../../src/selftests/cow/index.js';
import { anonKinds } from '../../src/selftests/cow/kinds.js';
import { ksftPrintHeader, type Ksft, type KsftTest } from '../../src/selftests/kselftest.js';
import { parseCase } from '../../src/selftests/scenario.js';
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

/** gup_test with the PIN_LONGTERM_TEST ioctls (v6.2), on a release that lacks it: what the R/O pin cases need. */
const WITH_PIN_TEST = { 'gup.testInterface': 'pin-longterm-test' };

function profile(name: string, set: Record<string, string> = {}): KernelProfile {
  const p = kernelProfile(name, set);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

const runs = new Map<string, Ksft>();
function cow(
  kernel: string,
  machine: SelftestMachine = DEFAULT_MACHINE,
  set: Record<string, string> = {},
): Ksft {
  const key = JSON.stringify([kernel, machine, set]);
  const k = runs.get(key) ?? COW.run(profile(kernel, set), machine);
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
  it("prints every line the 6.12 tree's cow.c printed on a real 6.18 (a kernel without CONFIG_GUP_TEST)", () => {
    const ours = cow('v6.18', { ...DEFAULT_MACHINE, gupTest: false, selftestsOf: 'v6.12' }).lines.filter(
      (l) => !l.startsWith('# pinlab:'),
    );
    expect(ours).toEqual(REAL_618.trimEnd().split('\n'));
  });

  it('with gup_test, every R/O pin case the 6.18 machine skipped passes in the model', () => {
    // The 6.12 tree's cow.c, as on that machine (6.18's own skips its huge zeropage cases: cowEdition).
    const tree612 = { ...DEFAULT_MACHINE, selftestsOf: 'v6.12' as const };
    const skipped = cow('v6.18', { ...tree612, gupTest: false }).tests.filter((t) => t.outcome === 'skip');
    const withGupTest = cow('v6.18', tree612);
    expect(skipped).toHaveLength(336);
    for (const t of skipped) expect(withGupTest.tests[t.num - 1]?.outcome).toBe('pass');
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
      // Those trees had gup_test's PIN_LONGTERM_TEST ioctls before the release that merged them.
      const set = p.kernel === 'v6.1' ? WITH_PIN_TEST : {};
      // The 6.18 run was of the 6.12 tree's cow.c (docs/conformance/README.md, section 1.2).
      const machine: SelftestMachine =
        p.kernel === 'v6.18' ? { ...DEFAULT_MACHINE, selftestsOf: 'v6.12' } : DEFAULT_MACHINE;
      for (const t of findAll(cow(p.kernel, machine, set), p.test as string, p.kind))
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
    expect(nonAnon(cow('v6.1', DEFAULT_MACHINE, WITH_PIN_TEST)).map((t) => t.outcome)).toEqual(
      Array(12).fill('fail'),
    );
    // The released v6.1 has no PIN_LONGTERM_TEST ioctl: cow.c skips these cases there.
    expect(nonAnon(cow('v6.1')).map((t) => t.msg)).toEqual(Array(12).fill('PIN_LONGTERM_TEST_START failed'));
    expect(nonAnon(cow('v6.2')).map((t) => t.outcome)).toEqual(Array(12).fill('pass'));
  });

  it('skips what the release lacks, with the reason', () => {
    const k = cow('v5.10');
    expect(find(k, 'Basic COW after fork()', 'PTE-mapped THP (16 kB)').outcome).toBe('skip');
    expect(find(k, 'Basic COW after fork() when collapsing before fork()', null).msg).toBe(
      'MADV_COLLAPSE failed: Invalid argument',
    );
    const noSwap = COW.run(profile('v6.12'), { ...DEFAULT_MACHINE, swap: false, thpSizesKb: [2048] });
    expect(find(noSwap, 'Basic COW after fork()', 'swapped out base page').msg).toBe(
      'MADV_PAGEOUT did not work, is swap enabled?',
    );
  });

  it('before the COW fixes (v5.9-v5.18) a R/O pin on a R/O-mapped shared page is unreliable', () => {
    const roPin = (kernel: string): string =>
      find(cow(kernel, DEFAULT_MACHINE, WITH_PIN_TEST), 'R/O GUP pin on R/O-mapped shared page', 'base page')
        .outcome;
    expect(roPin('v5.10')).toBe('fail');
    expect(roPin('v5.19')).toBe('pass');
    expect(find(cow('v5.10'), 'R/O GUP pin on R/O-mapped shared page', 'base page').msg).toBe(
      'gup_test not available',
    );
  });

  it('real 5.10 (Debian 5.10.262): the io_uring cases fail where the pinned page was COW-shared, the swapped-out vmsplice cases pass', () => {
    const k = cow('v5.10', { ...DEFAULT_MACHINE, thpSizesKb: [2048], hugetlbSizesKb: [2048] });
    const outcomes = (test: string): string[] =>
      k.tests.filter((t) => t.run.startsWith(`${test} ... with `)).map((t) => t.outcome);
    // base, swapped base, THP, swapped THP, PTE-mapped, swapped PTE-mapped, single PTE, swapped single
    // PTE, partially mremap()'ed, partially shared, hugetlb: real #73-#82 except #75, and #95.
    expect(outcomes('R/O-mapping a page registered as iouring fixed buffer')).toEqual([
      'fail',
      'fail',
      'pass',
      'fail',
      'fail',
      'fail',
      'fail',
      'fail',
      'fail',
      'fail',
      'pass',
    ]);
    expect(outcomes('fork() with an iouring fixed buffer')).toEqual([
      ...Array<string>(10).fill('pass'),
      'fail',
    ]);
    // real #62, #64, #66, #68: the swapped-out kinds pass once the parent's memcpy() swapped the page in.
    const swapped = outcomes('vmsplice() + unmap in parent after fork()').filter((_, i) =>
      [1, 3, 5, 7].includes(i),
    );
    expect(swapped).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('MADV_COLLAPSE of a range fork() write-protected fails before v6.18; the half-shared ranges collapse', () => {
    const collapse = (kernel: string): string[] =>
      cow(kernel, { ...DEFAULT_MACHINE, thpSizesKb: [2048] })
        .tests.filter((t) => t.run.startsWith('Basic COW after fork() when collapsing'))
        .map((t) => (t.outcome === 'skip' ? t.msg : t.outcome));
    const refused = 'MADV_COLLAPSE failed: Invalid argument';
    expect(collapse('v6.1')).toEqual(['pass', refused, 'pass', 'pass']);
    expect(collapse('v6.12')).toEqual(['pass', refused, 'pass', 'pass']);
    expect(collapse('v6.18')).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('prints a case no interleaving completes as an error with the reason, never as a pass', () => {
    const t = ANON_TEST_CASES.find((x) => x.desc === 'fork() with an iouring fixed buffer');
    const kind = anonKinds(DEFAULT_MACHINE)[0];
    if (t === undefined || kind === undefined) throw new Error('no io_uring case');
    // Without the device agent nothing completes the fixed-buffer write: every interleaving waits.
    const text = anonText(t.desc, kind, t.body()).replace('agent device\n', '');
    const k = ksftPrintHeader();
    runCase(k, parseCase(text, 'cow.pin'), t.result, false, profile('v6.12'), DEFAULT_MACHINE);
    expect(k.lines.at(-1)).toBe(
      'not ok 1 # error Longterm R/W pin is reliable: no interleaving completes: every terminal state is a deadlock (1)',
    );
  });
});
