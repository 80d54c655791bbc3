import { describe, expect, it } from 'vitest';
import {
  isProfileError,
  kernelProfile,
  RELEASES,
  type KernelProfile,
} from '../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../src/model/profile/release.js';
import { COW_EDITIONS, cowEdition } from '../../src/selftests/cow/edition.js';
import { COW } from '../../src/selftests/cow/index.js';
import type { Ksft, KsftTest } from '../../src/selftests/kselftest.js';
import { DEFAULT_MACHINE, type SelftestMachine } from '../../src/selftests/selftest.js';

/** One THP and one hugetlb size: every case kind once, quickly. */
const SMALL: SelftestMachine = { ...DEFAULT_MACHINE, thpSizesKb: [2048], hugetlbSizesKb: [2048] };

function profile(name: string, set: Record<string, string> = {}): KernelProfile {
  const p = kernelProfile(name, set);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

const runs = new Map<string, Ksft>();
function cow(kernel: string, machine: SelftestMachine = SMALL, set: Record<string, string> = {}): Ksft {
  const key = JSON.stringify([kernel, machine, set]);
  const k = runs.get(key) ?? COW.run(profile(kernel, set), machine);
  runs.set(key, k);
  return k;
}

/** The result lines of the hugetlb vmsplice() cases, the ones the editions print differently. */
function hugetlbVmsplice(k: Ksft): string[] {
  const out: string[] = [];
  k.lines.forEach((l, i) => {
    if (/^# \[RUN\] vmsplice\(\).* \.\.\. with hugetlb/.test(l))
      out.push(k.lines[i + 1] ?? '', k.lines[i + 2] ?? '');
  });
  return out;
}

describe('cow.c editions (src/selftests/cow/edition.ts)', () => {
  it('are ordered, and each release before v6.2 runs the oldest', () => {
    const since = COW_EDITIONS.map((e) => e.since);
    expect(since).toEqual(['v6.2', 'v6.10', 'v6.16', 'v6.17', 'v7.0', 'v7.2']);
    expect(cowEdition('v5.10')).toBe(COW_EDITIONS[0]);
    expect(cowEdition('v6.9')).toBe(COW_EDITIONS[0]);
    expect(cowEdition('v6.15')).toBe(COW_EDITIONS[1]);
    expect(cowEdition('v6.16')).toBe(COW_EDITIONS[2]);
    expect(cowEdition('v6.18')).toBe(COW_EDITIONS[3]);
    expect(cowEdition('v7.0')).toBe(COW_EDITIONS[4]);
    expect(cowEdition('v7.2')).toBe(COW_EDITIONS[5]);
  });

  const PRE_XFAIL = RELEASES.filter((r) => releaseAtLeast(r, 'v6.2') && !releaseAtLeast(r, 'v6.10'));
  const XFAIL = RELEASES.filter((r) => releaseAtLeast(r, 'v6.10') && !releaseAtLeast(r, 'v6.16'));
  const NAMES = RELEASES.filter((r) => releaseAtLeast(r, 'v6.16'));

  it.each(PRE_XFAIL)('%s: the hugetlb vmsplice() failures are `not ok`, the run bails out, exit 1', (r) => {
    const k = cow(r);
    const lines = hugetlbVmsplice(k).filter((l) => !l.startsWith('# [RUN]'));
    expect(lines.filter((l) => l.startsWith('not ok ')).length).toBe(4);
    expect(lines.some((l) => l.includes('XFAIL'))).toBe(false);
    expect(k.lines.at(-2)).toMatch(/^Bail out! \d+ out of 173 tests failed$/);
    expect(k.exit).toBe(1);
  });

  it.each(XFAIL)('%s: they are XFAIL with the 6.12 strings; nothing else fails: exit 0', (r) => {
    const k = cow(r);
    const lines = hugetlbVmsplice(k);
    expect(
      lines.filter((l) => /^ok \d+ # XFAIL Leak from (parent into child|child into parent)$/.test(l)),
    ).toHaveLength(4);
    expect(k.lines.some((l) => l.startsWith('Bail out!'))).toBe(false);
    expect(k.exit).toBe(0);
  });

  it.each(NAMES)('%s: each result line names its test; the reason is the `# ` line before it', (r) => {
    const k = cow(r);
    expect(k.lines).toContain('ok 1 Basic COW after fork() ... with base page');
    const lines = hugetlbVmsplice(k);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^# Leak from (parent into child|child into parent)$/);
      expect(lines[i + 1]).toMatch(/^ok \d+ # XFAIL vmsplice\(\).* \.\.\. with hugetlb \(2048 kB\)$/);
    }
    expect(lines).toHaveLength(8);
    // Every result line but the v6.17 edition's huge zeropage skips (ksft_test_result_skip()'s own).
    for (const t of k.tests) if (!t.run.endsWith('with huge zeropage')) expect(t.msg).toBe(t.run);
    expect(k.exit).toBe(0);
  });

  const ZEROPAGE_SKIPS = RELEASES.filter((r) => releaseAtLeast(r, 'v6.17') && !releaseAtLeast(r, 'v7.0'));
  it.each(ZEROPAGE_SKIPS)(
    '%s: FORCE_READ() of the pointer populates no huge zeropage: its 3 cases skip with their own line',
    (r) => {
      const k = cow(r);
      const zp = k.tests.filter((t) => t.run.endsWith('with huge zeropage'));
      expect(zp.map((t) => [t.outcome, t.msg])).toEqual(
        Array.from({ length: 3 }, () => ['skip', 'Did not get THPs populated']),
      );
      expect(k.lines).toContain(`ok ${zp[0]?.num ?? 0} # SKIP Did not get THPs populated`);
    },
  );

  it.each(['v6.16', 'v7.0', 'v7.2'] as const)('the %s edition: the huge zeropage cases run', (r) => {
    const zp = cow('v7.2', { ...SMALL, selftestsOf: r }).tests.filter((t) =>
      t.run.endsWith('with huge zeropage'),
    );
    expect(zp.map((t) => t.outcome)).toEqual(['pass', 'pass', 'pass']);
  });

  it('v7.2: hugetlb_setup(2) tests only the sizes with two free pages; both are still detected', () => {
    const m = { ...DEFAULT_MACHINE, thpSizesKb: [2048], hugetlbPages: { 1048576: 1 } };
    const k = cow('v7.2', m);
    expect(k.lines).toContain('# [INFO] detected hugetlb page size: 1048576 KiB');
    expect(k.lines.some((l) => l.includes('[INFO] huge zeropage'))).toBe(false);
    expect(k.tests.some((t) => t.run.includes('1048576 kB'))).toBe(false);
    // 14 anon cases on 2 + 2 + 6 + 1 kinds, 4 collapse cases, 3 non-anon cases on 5 kinds.
    expect(k.plan).toBe(14 * 11 + 4 + 3 * 5);
    expect(k.tests).toHaveLength(k.plan);
    // v7.0's cow.c, without hugetlb_setup(), runs the 1 GiB cases and skips them.
    const old = cow('v7.0', m);
    expect(old.plan).toBe(14 * 12 + 4 + 3 * 6);
    expect(old.lines).toContain('# [INFO] huge zeropage is enabled');
  });

  it('missing hugetlb pages: ENOMEM for the private mmap(), ENOSPC for the memfd fallocate()', () => {
    const none = { ...SMALL, hugetlbPages: { 2048: 0 } };
    const one = { ...SMALL, hugetlbPages: { 2048: 1 } };
    const result = (k: Ksft, run: string): [string, string] => {
      const i = k.lines.indexOf(`# [RUN] ${run}`);
      return [k.lines[i + 1] ?? '', k.lines[i + 2] ?? ''];
    };
    const anon = 'Basic COW after fork() ... with hugetlb (2048 kB)';
    const memfd = 'Basic COW ... with memfd hugetlb (2048 kB)';
    // The 6.12 tree: the reason is the result line.
    expect(result(cow('v6.12', none), anon)[0]).toMatch(/^ok \d+ # SKIP need more free huge pages$/);
    expect(result(cow('v6.12', none), memfd)[0]).toMatch(/^ok \d+ # SKIP need more free huge pages$/);
    // From v6.16: ksft_perror() says which call failed how.
    const names = (m: SelftestMachine): SelftestMachine => ({ ...m, selftestsOf: 'v6.16' });
    expect(result(cow('v6.12', names(none)), anon)[0]).toBe(
      '# need more free huge pages: Cannot allocate memory (12)',
    );
    expect(result(cow('v6.12', names(none)), memfd)[0]).toBe(
      '# need more free huge pages: No space left on device (28)',
    );
    expect(result(cow('v6.12', names(one)), memfd)[0]).toBe(
      '# need more free huge pages: Cannot allocate memory (12)',
    );
    expect(result(cow('v6.12', names(one)), memfd)[1]).toMatch(
      /^ok \d+ # SKIP Basic COW \.\.\. with memfd hugetlb \(2048 kB\)$/,
    );
    // Two pages: the case runs.
    expect(result(cow('v6.12', { ...SMALL, hugetlbPages: { 2048: 2 } }), memfd)[0]).toMatch(
      /^ok \d+ Other mapping not modified$/,
    );
  });

  it("the lab's gup_test stand-in: the R/O pin cases run on v6.1, and its non-anon ones fail (v6.2 fixed them)", () => {
    // The lab's VM: 6.1 has no multi-size THP, 64 free 2 MiB hugetlb pages and no 1 GiB one.
    const m = {
      ...DEFAULT_MACHINE,
      thpSizesKb: [2048],
      hugetlbPages: { 2048: 64, 1048576: 0 },
      gupTest: false,
      selftestsOf: 'v6.12' as const,
    };
    const without = cow('v6.1', m);
    const ro = (k: Ksft): KsftTest[] => k.tests.filter((t) => /^R\/O (GUP|longterm)/.test(t.run));
    expect(ro(without).every((t) => t.outcome === 'skip')).toBe(true);
    const k = cow('v6.1', { ...m, gupTestStandIn: true });
    // Only the 1 GiB cases skip, for want of pages.
    for (const t of ro(k).filter((x) => x.outcome === 'skip')) expect(t.run).toMatch(/1048576 kB\)$/);
    expect(ro(k).filter((t) => t.outcome === 'pass')).toHaveLength(6 * 11);
    const failed = k.tests.filter((t) => t.outcome === 'fail').map((t) => t.run);
    expect(failed).toHaveLength(10);
    for (const run of failed) expect(run).toMatch(/^R\/O longterm GUP(-fast)? pin \.\.\. with /);
    // v6.2: "mm/gup: reliable R/O long-term pinning in COW mappings".
    expect(cow('v6.2', { ...m, gupTestStandIn: true }).tests.some((t) => t.outcome === 'fail')).toBe(false);
  });

  it('howells-v8 (seed 001): 8 of 190 `not ok`, "Bail out! 8 out of 190 tests failed", exit 1', () => {
    const k = cow('howells-v8', { ...DEFAULT_MACHINE, thpSizesKb: [2048] });
    expect(k.lines.filter((l) => l.startsWith('not ok '))).toHaveLength(8);
    expect(k.lines.at(-2)).toBe('Bail out! 8 out of 190 tests failed');
    expect(k.exit).toBe(1);
  });

  it('--selftests: the 7.2 cow.c on v5.10 prints failures and skips its own way, and exits 1 without bailing out', () => {
    const k = cow('v5.10', { ...SMALL, selftestsOf: 'v7.2' }, { 'gup.testInterface': 'pin-longterm-test' });
    const at = (run: string): [string, string] => {
      const i = k.lines.indexOf(`# [RUN] ${run}`);
      return [k.lines[i + 1] ?? '', k.lines[i + 2] ?? ''];
    };
    // The io_uring case fails where mprotect() made the pinned page COW-shared (sic: cow.c:562 of the 7.2 tree).
    const uring = at('R/O-mapping a page registered as iouring fixed buffer ... with base page');
    expect(uring[0]).toBe('# Longtom R/W pin is not reliable');
    expect(uring[1]).toMatch(
      /^not ok \d+ R\/O-mapping a page registered as iouring fixed buffer \.\.\. with base page$/,
    );
    // ksft_perror(): the strerror and the errno.
    const collapse = at('Basic COW after fork() when collapsing before fork()');
    expect(collapse[0]).toBe('# MADV_COLLAPSE failed: Invalid argument (22)');
    expect(collapse[1]).toMatch(/^ok \d+ # SKIP Basic COW after fork\(\) when collapsing before fork\(\)$/);
    expect(k.lines.some((l) => l.startsWith('Bail out!'))).toBe(false);
    expect(k.exit).toBe(1);
    // The same run with the kernel's own (v6.2-era) strings.
    const own = cow('v5.10', SMALL, { 'gup.testInterface': 'pin-longterm-test' });
    expect(own.lines).toContain(
      'ok ' +
        String(
          own.tests.find((t) => t.run.startsWith('Basic COW after fork() when collapsing before'))?.num,
        ) +
        ' # SKIP MADV_COLLAPSE failed: Invalid argument',
    );
  });

  it('an R/O pin without the PIN_LONGTERM_TEST ioctls: ksft_perror() from v6.16', () => {
    const k = cow('v6.1', { ...SMALL, selftestsOf: 'v6.16' });
    const i = k.lines.indexOf('# [RUN] R/O longterm GUP pin ... with shared zeropage');
    expect(k.lines[i + 1]).toBe('# PIN_LONGTERM_TEST_START failed: Invalid argument (22)');
    expect(k.lines[i + 2]).toMatch(/^ok \d+ # SKIP R\/O longterm GUP pin \.\.\. with shared zeropage$/);
  });
});
