import type { SelftestMachine } from '../../src/selftests/selftest.js';
import { describe, expect, it } from 'vitest';
import { libraryFiles, loadScenarios } from '../../src/cli/library.js';
import { compareVerdict } from '../../src/export/index.js';
import { LAB_GUP_LONGTERM } from '../../src/lab/kernel-run.js';
import { readRecords } from '../../src/lab/record.js';
import { pairCases, treeRelease } from '../../src/lab/selftest-compare.js';
import { isProfileError, kernelProfile } from '../../src/model/profile/profiles.js';
import type { ParsedScenario } from '../../src/scenario/index.js';
import { COW } from '../../src/selftests/cow/index.js';
import { runSuite } from '../../src/suite/run.js';

/**
 * docs/conformance/lab-<kernel>.json keeps what real Debian kernels did in the lab. Only its real
 * side is evidence: the model's verdicts are derived again from today's model, so a policy change that
 * contradicts a recorded run fails here.
 */
const records = readRecords('docs/conformance');
const loaded = loadScenarios(libraryFiles());
const scenarios: readonly ParsedScenario[] = loaded.ok ? loaded.scenarios : [];

/**
 * Contradictions found and explained, each waiting for the profile that models it. Empty: the one
 * found (Debian 5.10.262 registers a memfd io_uring buffer, which mainline v5.10 refused) is the 5.15
 * io_uring backport that the v5.10.y series models (uring.fixedBuffers=refuse-non-shmem).
 */
const EXPLAINED: readonly { kernel: string; scenario: string; condition: string; why: string }[] = [];

function counts(cell: string): { seen: number; runs: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(cell);
  return m === null ? null : { seen: Number(m[1]), runs: Number(m[2]) };
}

describe('the recorded lab runs', () => {
  it('cover 6.1 and 6.12, both sides of the v6.5 change', () => {
    expect(records.map((r) => r.kernel)).toEqual(expect.arrayContaining(['6.1', '6.12']));
  });

  for (const r of records)
    it(`${r.kernel}: every real count agrees with today's model of ${r.profile}`, () => {
      const profile = kernelProfile(r.profile);
      if (isProfileError(profile)) throw new Error(`no profile ${r.profile}`);
      const checked = new Map<string, ReturnType<typeof runSuite>>();
      const contradictions: string[] = [];
      let compared = 0;
      for (const row of r.rows) {
        const c = counts(row.kernel);
        if (c === null) continue;
        const s = scenarios.find((x) => x.scenario.id === row.scenario);
        if (s === undefined) throw new Error(`recorded scenario ${row.scenario} is not in the library`);
        const model = checked.get(row.scenario) ?? runSuite([s], [profile]);
        checked.set(row.scenario, model);
        const verdict = model.find((m) => m.kind === 'condition' && m.condition === row.condition)?.verdict;
        const cmp = compareVerdict(verdict ?? 'unavailable', c.seen, c.runs);
        compared += 1;
        const explained = EXPLAINED.some(
          (e) => e.kernel === r.kernel && e.scenario === row.scenario && e.condition === row.condition,
        );
        if (cmp.outcome === 'contradiction' && !explained)
          contradictions.push(`${row.scenario} @${row.disk} ${row.condition}: ${cmp.why}`);
      }
      expect(contradictions).toEqual([]);
      expect(compared).toBeGreaterThan(0);
    });

  const RECORD_DEFAULTS: Pick<SelftestMachine, 'hugetlbPages' | 'gupTestStandIn'> = {
    hugetlbPages: {},
    gupTestStandIn: false,
  };
  for (const r of records)
    for (const t of r.selftests)
      it(`${r.kernel}: the real ${t.program} agrees case by case with today's model`, () => {
        const profile = kernelProfile(r.profile);
        if (isProfileError(profile)) throw new Error(`no profile ${r.profile}`);
        // The lab's gup_longterm, as the lab compared it: its "tmpfile" is on the VM's tmpfs (a shmem
        // mapping, which R/W long-term pins and io_uring accept on 5.10 and 6.1), not on ext4.
        const test = t.program === COW.name ? COW : LAB_GUP_LONGTERM;
        const paired = pairCases(
          t.real,
          // Records made before the machine said how many hugetlb pages it had, or whether the lab's
          // gup_test stand-in answered, are of a run where neither decided a compared case.
          test.run(profile, {
            ...RECORD_DEFAULTS,
            ...t.machine,
            selftestsOf: treeRelease(t.tree),
          }).tests,
        );
        expect(paired.cases.filter((c) => c.outcome === 'disagree' || c.outcome === 'unmatched')).toEqual([]);
        expect(paired.counts.agree).toBeGreaterThan(0);
      });

  it('shows the v6.5 change on real kernels: dio-read-fork[path=blkdev] loses data on 6.1, never on 6.12', () => {
    const lost = (kernel: string): number[] =>
      (records.find((r) => r.kernel === kernel)?.rows ?? [])
        .filter((x) => x.scenario === 'dio-read-fork[path=blkdev]' && x.condition.endsWith('parent-lost'))
        .map((x) => counts(x.kernel)?.seen ?? -1);
    expect(lost('6.1').some((n) => n > 0)).toBe(true);
    expect(lost('6.12').length).toBeGreaterThan(0);
    expect(lost('6.12').every((n) => n === 0)).toBe(true);
  });
});
