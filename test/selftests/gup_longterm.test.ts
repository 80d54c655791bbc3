import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { parseScenarios } from '../../src/scenario/index.js';
import { caseScenario, TEST_CASES } from '../../src/selftests/gup_longterm/cases.js';
import {
  DEFAULT_GUP_LONGTERM_SETUP,
  GUP_LONGTERM,
  runGupLongterm,
  type GupLongtermSetup,
} from '../../src/selftests/gup_longterm/index.js';
import { DEFAULT_MACHINE, type SelftestMachine } from '../../src/selftests/selftest.js';

function profile(name: string, set: Record<string, string> = {}): KernelProfile {
  const p = kernelProfile(name, set);
  if (isProfileError(p)) throw new Error(`no profile ${name}`);
  return p;
}

function run(
  name: string,
  setup: Partial<GupLongtermSetup> = {},
  machine: SelftestMachine = DEFAULT_MACHINE,
  set: Record<string, string> = {},
): string[] {
  return runGupLongterm(profile(name, set), machine, { ...DEFAULT_GUP_LONGTERM_SETUP, ...setup }).lines;
}

/** The result line of test `n` (1-based), with the `[RUN]` line before it. */
function result(lines: readonly string[], n: number): [string, string] {
  const i = lines.findIndex((l) => l.startsWith(`ok ${n} `) || l.startsWith(`not ok ${n} `));
  return [lines[i - 1] ?? '', lines[i] ?? ''];
}

const RW_SHARED = 'R/W longterm GUP pin in MAP_SHARED file mapping';
const URING_SHARED = 'io_uring fixed buffer with MAP_SHARED file mapping';
const URING_PRIVATE = 'io_uring fixed buffer with MAP_PRIVATE file mapping';
// With two hugetlb sizes each test case has five kinds: memfd, tmpfile, local tmpfile, 2M, 1G.
const TMPFILE_RW_SHARED = 2;
const MEMFD_URING_SHARED = 41;
const TMPFILE_URING_SHARED = 42;
const TMPFILE_URING_PRIVATE = 47;

describe('gup_longterm on v6.12 and v6.18 (the 6.12 test tree, gup_test available)', () => {
  it('prints the detected hugetlb sizes before the TAP header, then the plan', () => {
    const lines = run('v6.12');
    expect(lines.slice(0, 5)).toEqual([
      '# [INFO] detected hugetlb page size: 2048 KiB',
      '# [INFO] detected hugetlb page size: 1048576 KiB',
      'TAP version 13',
      '# pinlab: gup_longterm.c of the 6.12 tree, on the model of v6.12',
      '1..50',
    ]);
    expect(lines.slice(5, 7)).toEqual([`# [RUN] ${RW_SHARED} ... with memfd`, 'ok 1 Should have worked']);
  });

  it('expects and gets the refusal of a writable longterm pin of an ext4 MAP_SHARED file', () => {
    for (const k of ['v6.12', 'v6.18'])
      expect(result(run(k), TMPFILE_RW_SHARED)).toEqual([
        `# [RUN] ${RW_SHARED} ... with tmpfile`,
        `ok ${TMPFILE_RW_SHARED} Should have failed`,
      ]);
  });

  it('judges the io_uring refusal by the errno an earlier pin left (liburing does not set it)', () => {
    // The refused registration returns -EFAULT without setting errno; errno is still EFAULT from the
    // refused R/W pins of tests 2, 3, 7 and 8, so the test takes it for a refusal.
    expect(result(run('v6.12'), TMPFILE_URING_SHARED)).toEqual([
      `# [RUN] ${URING_SHARED} ... with tmpfile`,
      `ok ${TMPFILE_URING_SHARED} Should have failed`,
    ]);
    // Without gup_test, errno is open()'s ENOENT: the same refusal is a skip.
    expect(result(run('v6.12', { gupTestConfigured: false }), TMPFILE_URING_SHARED)[1]).toBe(
      `ok ${TMPFILE_URING_SHARED} # SKIP io_uring_register_buffers() failed`,
    );
  });

  it('ends with the totals line and no Bail out when nothing failed', () => {
    const lines = run('v6.18');
    expect(lines.at(-1)).toBe('# Totals: pass:50 fail:0 xfail:0 xpass:0 skip:0 error:0');
    expect(lines.some((l) => l.startsWith('Bail out!'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('# [RUN] '))).toHaveLength(50);
  });

  it('GUP_LONGTERM runs with the default setup', () => {
    expect(GUP_LONGTERM.name).toBe('gup-longterm');
    expect(GUP_LONGTERM.run(profile('v6.18'), DEFAULT_MACHINE).lines).toEqual(run('v6.18'));
  });
});

describe('the outcome comes from the model', () => {
  it('a writable longterm pin of an ext4 MAP_SHARED file works until v6.5 (gup.longtermWriteFile)', () => {
    expect(result(run('v6.4'), TMPFILE_RW_SHARED)[1]).toBe(`not ok ${TMPFILE_RW_SHARED} Should have worked`);
    expect(result(run('v6.5'), TMPFILE_RW_SHARED)[1]).toBe(`ok ${TMPFILE_RW_SHARED} Should have failed`);
    const v64 = run('v6.4');
    expect(v64.at(-2)).toBe('Bail out! 4 out of 50 tests failed');
    expect(v64.at(-1)).toBe('# Totals: pass:42 fail:4 xfail:0 xpass:0 skip:4 error:0');
  });

  it('switching the policy back on v6.18 makes the pin work, and the test fail', () => {
    const lines = run('v6.18', {}, DEFAULT_MACHINE, { 'gup.longtermWriteFile': 'allowed' });
    expect(result(lines, TMPFILE_RW_SHARED)[1]).toBe(`not ok ${TMPFILE_RW_SHARED} Should have worked`);
  });

  it('io_uring refuses memfd before v5.14 and any private file mapping before v6.5 (uring.fixedBuffers)', () => {
    const sets = { liburingSetsErrno: true };
    expect(result(run('v5.10', sets), MEMFD_URING_SHARED)).toEqual([
      `# [RUN] ${URING_SHARED} ... with memfd`,
      `not ok ${MEMFD_URING_SHARED} Should have failed`,
    ]);
    expect(result(run('v5.15', sets), MEMFD_URING_SHARED)[1]).toBe(
      `ok ${MEMFD_URING_SHARED} Should have worked`,
    );
    expect(result(run('v6.4', sets), TMPFILE_URING_PRIVATE)).toEqual([
      `# [RUN] ${URING_PRIVATE} ... with tmpfile`,
      `not ok ${TMPFILE_URING_PRIVATE} Should have failed`,
    ]);
    expect(result(run('v6.5', sets), TMPFILE_URING_PRIVATE)[1]).toBe(
      `ok ${TMPFILE_URING_PRIVATE} Should have worked`,
    );
  });

  it('skips what the release lacks: gup_test, its PIN_LONGTERM_TEST ioctls, io_uring', () => {
    expect(result(run('v5.10'), 1)[1]).toBe('ok 1 # SKIP gup_test not available');
    expect(result(run('v6.1'), 1)[1]).toBe('ok 1 # SKIP PIN_LONGTERM_TEST_START failed');
    expect(result(run('v6.2'), 1)[1]).toBe('ok 1 Should have worked');
    expect(result(run('v4.19'), MEMFD_URING_SHARED)[1]).toBe(
      `ok ${MEMFD_URING_SHARED} # SKIP io_uring_queue_init() failed`,
    );
  });
});

describe('the machine', () => {
  it('reproduces the real run on this kind of machine (6.18, no gup_test) line by line', () => {
    const real = readFileSync(
      new URL('../../docs/conformance/gup_longterm-6.18-real.ktap', import.meta.url),
      'utf8',
    )
      .trimEnd()
      .split('\n');
    const ours = run('v6.18', { gupTestConfigured: false }).filter((l) => !l.startsWith('# pinlab: '));
    expect(ours).toEqual(real);
  });

  it('skips hugetlb cases without free huge pages; their ENOSPC is what a later io_uring case reads', () => {
    const lines = run('v6.18', { gupTestConfigured: false, freeHugetlbPages: { 1048576: 0, 2048: 1 } });
    expect(result(lines, 5)).toEqual([
      `# [RUN] ${RW_SHARED} ... with memfd hugetlb (1048576 kB)`,
      'ok 5 # SKIP need more free huge pages',
    ]);
    // One free 2M page is enough for MAP_SHARED, not for MAP_PRIVATE (the COW needs a second one).
    expect(result(lines, MEMFD_URING_SHARED + 3)[1]).toBe(`ok ${MEMFD_URING_SHARED + 3} Should have worked`);
    expect(result(lines, TMPFILE_URING_PRIVATE + 2)[1]).toBe(
      `ok ${TMPFILE_URING_PRIVATE + 2} # SKIP need more free huge pages`,
    );
    expect(result(lines, TMPFILE_URING_SHARED)[1]).toBe(`ok ${TMPFILE_URING_SHARED} Should have failed`);
  });

  it('skips R/W shared pins on a filesystem the test does not know, and drops io_uring without liburing', () => {
    const lines = run('v6.18', { tmpfileFs: 'bdev', liburing: false });
    expect(lines).toContain('1..40');
    expect(result(lines, TMPFILE_RW_SHARED)[1]).toBe(`ok ${TMPFILE_RW_SHARED} # SKIP Unknown filesystem`);
    expect(result(lines, 12)[1]).toBe('ok 12 Should have worked');
    expect(lines.some((l) => l.includes('io_uring'))).toBe(false);
  });
});

describe('the generated scenarios', () => {
  it('sequence the syscalls of do_test() and parse', () => {
    const rwFast = TEST_CASES[1];
    const uring = TEST_CASES[9];
    if (!rwFast || !uring) throw new Error('test table too short');
    const bad = { op: '!=' as const, values: ['1'] };
    const text = caseScenario(rwFast, 'tmpfile', { fileDecl: 'file f ext4 = "F"', page: '' }, bad);
    expect(text).toContain('  map mem file f shared\n');
    expect(text).toContain(
      '  write mem "0"\n  pin mem fast write longterm as ret\n  unpin ret\n  munmap mem\n',
    );
    expect(text).toContain('exists (T0:ret != "1") as bad');
    const u = caseScenario(
      uring,
      'memfd hugetlb (2048 kB)',
      { fileDecl: 'file f hugetlbfs = "F"', page: 'page=hugetlb-2M' },
      { op: '!=', values: ['ENOSPC', 'EOPNOTSUPP', 'EFAULT'] },
    );
    expect(u).toContain('  map mem file f private page=hugetlb-2M\n');
    expect(u).toContain('  uring register mem 0 -> ret\n  uring unregister 0\n');
    expect(u).toContain(
      'exists (T0:ret != "ENOSPC" and T0:ret != "EOPNOTSUPP" and T0:ret != "EFAULT") as bad',
    );
    for (const t of [text, u]) expect(parseScenarios(t, 'gup_longterm.pin').ok).toBe(true);
  });
});
