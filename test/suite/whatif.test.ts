import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/cli/library.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { runSuite } from '../../src/suite/run.js';
import { POLICY_NAMES } from '../../src/model/profile/policies/index.js';
import { policySteps, preventProbe, recordingReads } from '../../src/suite/whatif.js';

function profile(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(p.code);
  return p;
}

describe('recordingReads', () => {
  it('records the policies the model reads in its search, not those the traces list afterwards', () => {
    const loaded = loadScenarios(['scenarios/vmsplice-child-unmap.pin']);
    if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
    const recorder = recordingReads(profile('v5.4'));
    // With traces: a leak's replay token lists every policy that differs from the release.
    const rows = runSuite(loaded.scenarios.slice(0, 1), [recorder.profile], { explorer: recorder.explorer });
    expect(rows.some((r) => r.trace !== null)).toBe(true);
    expect(recorder.reads).toContain('cow.reuse');
    expect(recorder.reads).not.toContain('dio.extract');
    expect(recorder.reads).not.toContain('uring.fixedBuffers');
  });
});

describe('policySteps', () => {
  it("takes a variant's values from the variant, with its proposal as the source", () => {
    const { steps } = policySteps(profile('v6.2'), profile('howells-v8'));
    expect(steps.map((s) => [s.policy, s.from, s.to, s.sources[0]?.where])).toEqual([
      ['iov.extract', 'absent', 'present', 'howells-v8'],
      ['dio.extract', 'get', 'pin', 'howells-v8'],
      ['bio.pageFlags', 'no-page-ref', 'reffed-pinned', 'howells-v8'],
    ]);
  });

  it("takes a stable series' values from its backports, with the stable commit as the source", () => {
    const { steps, roundTrips } = policySteps(profile('v6.12'), profile('v6.12.y'));
    expect(steps.map((s) => [s.policy, s.from, s.to, s.sources.map((x) => x.where)])).toEqual([
      ['reclaim.fileWritepage', 'ceph', 'none', ['v6.12.y']],
      ['btrfs.dioWriteCsum', 'direct', 'buffered', ['v6.12.y']],
    ]);
    expect(steps[1]?.sources[0]?.commit).toMatch(/^btrfs: always fallback to buffered write/);
    expect(roundTrips).toEqual([]);
  });

  it('lists every history entry inside the range, and a policy that came back to its value apart', () => {
    const { steps, roundTrips } = policySteps(profile('v5.4'), profile('v5.10'));
    // ext4.dioPath (v5.5) and btrfs.dioPath (v5.10): the DIO paths' filesystem history (issue 23's audit).
    expect(steps.map((s) => s.policy)).toEqual([
      'cow.reuse',
      'gup.pin',
      'fork.copyPinned',
      'ext4.dioPath',
      'btrfs.dioPath',
    ]);
    expect(roundTrips.map((s) => s.sources.map((x) => `${x.where} ${x.value}`))).toEqual([
      ['v5.8 on', 'v5.9 off'],
    ]);
  });
});

describe('preventProbe', () => {
  const target = { scenario: 's', condition: 'c' };
  it('counts a profile that never ran as reading every policy, so no larger set is taken for it', () => {
    // v5.4 with dio.extract=pin alone is inconsistent; with gup.pin=counted too it may run.
    const probe = preventProbe({ error: 'dio.extract=pin pins pages' }, [target], new Map());
    expect(probe.hit).toBe(false);
    expect([...probe.reads]).toEqual(POLICY_NAMES);
  });

  it('passes on the reads of a run', () => {
    const probe = preventProbe({ rows: [], reads: new Set(['cow.reuse']) }, [target], new Map());
    // No row: the condition never held, and nothing judged it unsound.
    expect(probe).toEqual({ hit: true, reads: new Set(['cow.reuse']) });
  });
});
