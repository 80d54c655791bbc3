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
import type { Ksft } from '../../src/selftests/kselftest.js';
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
    expect(since).toEqual(['v6.2', 'v6.10', 'v6.16']);
    expect(cowEdition('v5.10')).toBe(COW_EDITIONS[0]);
    expect(cowEdition('v6.9')).toBe(COW_EDITIONS[0]);
    expect(cowEdition('v6.15')).toBe(COW_EDITIONS[1]);
    expect(cowEdition('v7.2')).toBe(COW_EDITIONS[2]);
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
    for (const t of k.tests) expect(t.msg).toBe(t.run);
    expect(k.exit).toBe(0);
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
