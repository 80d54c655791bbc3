import { describe, expect, it } from 'vitest';
import { libraryFiles, loadScenarios, displayName } from '../src/cli/library.js';
import { KERNELS, kernelProfile, isProfileError, type KernelProfile } from '../src/model/profile/profiles.js';
import { STABLE_SERIES } from '../src/model/profile/stable.js';
import { runSuite } from '../src/suite/run.js';

const PROFILES: KernelProfile[] = KERNELS.map((r) => {
  const p = kernelProfile(r);
  if (isProfileError(p)) throw new Error(r);
  return p;
});

const REQUIRED = [
  'dio-read-fork',
  'longterm-pin-fork',
  'vmsplice-child-unmap',
  'vmsplice-child-unmap-hugetlb',
  'dio-read-shared-file-writeback',
  'dio-dirty-after-writeback',
  'kvec-vmalloc-extract',
  'bvec-async-lifetime',
  'should-dirty-redirty',
  'read-fixed-dirty',
  'zerocopy-reuse-before-notify',
  'zerocopy-reuse-after-notify',
  'zerocopy-fork-child-write',
  'zerocopy-munmap-before-notify',
  'loop-owner-release-early',
  'loop-owner-held',
  'lio-cmd-free-before-complete',
  'lio-cmd-held',
  'dedupe-dio-after-writeback',
  'dedupe-mapped-write-cow',
  'fallocate-punch-dio',
  'netfs-dio-read-fork',
  'netfs-bvec-async-lifetime',
  'sgio-read-fork',
  'sgio-read-redirty',
  'bio-split-release',
  'dio-flush-wait',
];

describe('the built-in scenario library', () => {
  const loaded = loadScenarios(libraryFiles(), displayName);
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
  const scenarios = loaded.scenarios;

  it('has every scenario the seeds call for', () => {
    const ids = new Set(scenarios.map((s) => s.scenario.id.replace(/\[.*\]$/, '')));
    for (const id of REQUIRED) expect(ids).toContain(id);
  });

  it('states a source and an intent in every header', () => {
    for (const s of scenarios) {
      expect(s.scenario.source, s.scenario.id).not.toBe('');
      expect(s.scenario.intent, s.scenario.id).not.toBe('');
    }
  });

  for (const s of scenarios)
    it(`${s.scenario.id}: every verdict on every release is the expected one`, () => {
      const rows = runSuite([s], PROFILES);
      const unexpected = rows
        .filter((r) => r.ok === false)
        .map((r) => `${r.kernel} ${r.condition}: ${r.verdict}, expected ${r.expected ?? 'never'}`);
      expect(unexpected).toEqual([]);
      // Every condition states an expectation (a file may leave out a release where the model is known
      // to differ from the kernel, and says why in a comment).
      for (const c of s.scenario.conditions)
        expect(
          s.scenario.expectations.some((e) => e.condition === c.name),
          c.name,
        ).toBe(true);
      expect(rows.every((r) => r.bound === null)).toBe(true);
    });

  it("states a verdict for each stable series wherever it states one for the series' release", () => {
    const missing = scenarios.flatMap((s) =>
      s.scenario.conditions.flatMap((c) => {
        const kernels = s.scenario.expectations.filter((e) => e.condition === c.name).map((e) => e.kernel);
        return STABLE_SERIES.filter((y) => kernels.includes(y.base) && !kernels.includes(y.name)).map(
          (y) => `${s.scenario.id} ${c.name}: ${y.name}`,
        );
      }),
    );
    expect(missing).toEqual([]);
  });

  it('differs between a release and its stable series only where a backport changes the verdict', () => {
    const differs: string[] = [];
    for (const y of STABLE_SERIES) {
      const base = PROFILES.find((p) => p.name === y.base);
      const series = PROFILES.find((p) => p.name === y.name);
      if (!base || !series) throw new Error(y.name);
      for (const s of scenarios) {
        const rows = runSuite([s], [base, series]);
        for (const r of rows.filter((x) => x.kernel === y.name)) {
          const was = rows.find((x) => x.kernel === y.base && x.condition === r.condition);
          if (was?.verdict !== r.verdict)
            differs.push(
              `${s.scenario.id} ${r.condition}: ${y.base} ${was?.verdict ?? '-'}, ${y.name} ${r.verdict}`,
            );
        }
      }
    }
    expect(differs).toEqual([
      // ext4 warns instead of BUG() (5.10.262 fs/ext4/inode.c:2674): the re-dirtied page's data is dropped.
      'dio-dirty-after-writeback dio-data-lost: v5.10 never, v5.10.y sometimes',
      'dio-dirty-after-writeback lost-write: v5.10 never, v5.10.y sometimes',
      // The 5.15 io_uring accepts shmem buffers (5.10.262 io_uring/io_uring.c:8958).
      'read-fixed-dirty[buf=memfd] register-refused: v5.10 always, v5.10.y never',
      // The btrfs buffered fallback (6.12.117 fs/btrfs/direct-io.c:941).
      'btrfs-dio-write-csum read-eio: v6.12 sometimes, v6.12.y never',
      'btrfs-dio-write-csum stable-page-violation: v6.12 sometimes, v6.12.y never',
    ]);
  });
});
