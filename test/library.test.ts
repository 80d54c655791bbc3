import { describe, expect, it } from 'vitest';
import { libraryFiles, loadScenarios, displayName } from '../src/cli/library.js';
import {
  RELEASES,
  kernelProfile,
  isProfileError,
  type KernelProfile,
} from '../src/model/profile/profiles.js';
import { runSuite } from '../src/suite/run.js';

const PROFILES: KernelProfile[] = RELEASES.map((r) => {
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
  'netfs-dio-read-fork',
  'netfs-bvec-async-lifetime',
  'sgio-read-fork',
  'sgio-read-redirty',
  'bio-split-release',
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
});
