/**
 * What `bisect` and `prevent` need from the kernel profiles and the suite's rows: which policies two
 * profiles differ in and which commits made each difference, where a what-if value comes from, and how
 * the rows of one configuration answer the searches of bisect.ts. Pure.
 */
import { explore, type Explorer } from '../check/explore.js';
import { POLICIES, POLICY_NAMES, type PolicyName } from '../model/profile/policies/index.js';
import type { PolicyChange } from '../model/profile/policy.js';
import {
  VARIANTS,
  kernelProfile,
  isProfileError,
  profileNames,
  type KernelProfile,
  type Variant,
} from '../model/profile/profiles.js';
import { compareReleases, type Release } from '../model/profile/release.js';
import { STABLE_SERIES } from '../model/profile/stable.js';
import type { Change, Outcome, Probe } from './bisect.js';
import type { Row } from './run.js';

/** Where a policy value comes from: a release and the commit subject, or a design variant. */
export interface Source {
  readonly where: string;
  readonly value: string;
  readonly commit: string;
}

/** One policy whose value differs between two profiles, and the changes that made it differ. */
export interface PolicyStep {
  readonly policy: string;
  readonly from: string;
  readonly to: string;
  readonly sources: readonly Source[];
}

function valueOf(p: KernelProfile, policy: PolicyName): string {
  return p.policies[policy];
}

function fromHistory(c: PolicyChange<string>): Source {
  return { where: c.since, value: c.value, commit: c.commit };
}

/** A variant as a source: its proposal, without the description of what it changes. */
function ofVariant(v: Variant, policy: string): Source {
  const value = (v.set as Readonly<Record<string, string>>)[policy] ?? '';
  return { where: v.name, value, commit: v.doc.split(` on ${v.base}:`)[0] ?? v.doc };
}

function variantSource(p: KernelProfile, policy: PolicyName): Source[] {
  const v = VARIANTS.find((x) => x.name === p.name);
  return v !== undefined && policy in v.set ? [ofVariant(v, policy)] : [];
}

/** A stable series' backport of the policy, as a source: the stable commit. */
function backportSource(p: KernelProfile, policy: PolicyName): Source[] {
  const b = STABLE_SERIES.find((s) => s.name === p.name)?.backports.find((x) => x.policy === policy);
  return b === undefined ? [] : [{ where: p.name, value: b.value, commit: b.commit }];
}

/** The history entries of a policy strictly after the older release, up to the newer one. */
function historyBetween(policy: PolicyName, a: Release, b: Release): Source[] {
  const [lo, hi] = compareReleases(a, b) <= 0 ? [a, b] : [b, a];
  return POLICIES[policy].history
    .filter((c) => compareReleases(c.since, lo) > 0 && compareReleases(c.since, hi) <= 0)
    .map(fromHistory);
}

/**
 * The policies whose values differ between `from` and `to`, each with the changes between them (a
 * variant's own values first), and the policies that changed between the two releases and back, which
 * a walk between these two profiles cannot see.
 */
export function policySteps(
  from: KernelProfile,
  to: KernelProfile,
): { readonly steps: PolicyStep[]; readonly roundTrips: PolicyStep[] } {
  const steps: PolicyStep[] = [];
  const roundTrips: PolicyStep[] = [];
  for (const policy of POLICY_NAMES) {
    const step: PolicyStep = {
      policy,
      from: valueOf(from, policy),
      to: valueOf(to, policy),
      sources: [
        ...variantSource(to, policy),
        ...variantSource(from, policy),
        ...backportSource(to, policy),
        ...backportSource(from, policy),
        ...historyBetween(policy, from.release, to.release),
      ],
    };
    if (step.from !== step.to) steps.push(step);
    else if (step.sources.length > 0) roundTrips.push(step);
  }
  return { steps, roundTrips };
}

/** Every value a policy could take other than the profile's own: the what-if candidates. */
export function alternatives(p: KernelProfile): Change[] {
  return POLICY_NAMES.flatMap((policy) =>
    (POLICIES[policy].values as readonly string[])
      .filter((value) => value !== valueOf(p, policy))
      .map((value) => ({ policy, value })),
  );
}

/** The releases, stable series and variants that gave a policy this value; none for a what-if no kernel has. */
export function valueSources(c: Change): Source[] {
  const def = POLICIES[c.policy as PolicyName];
  return [
    ...def.history.filter((h) => h.value === c.value).map(fromHistory),
    ...STABLE_SERIES.flatMap((s) =>
      s.backports
        .filter((b) => b.policy === c.policy && b.value === c.value)
        .map((b) => ({ where: s.name, value: b.value, commit: b.commit })),
    ),
    ...VARIANTS.filter((v) => (v.set as Readonly<Record<string, string>>)[c.policy] === c.value).map((v) =>
      ofVariant(v, c.policy),
    ),
  ];
}

/** The profiles (releases and variants) that have every value of the set. */
export function profilesWith(set: readonly Change[]): string[] {
  return profileNames().filter((name) => {
    const p = kernelProfile(name);
    return !isProfileError(p) && set.every((c) => valueOf(p, c.policy as PolicyName) === c.value);
  });
}

/**
 * A profile whose policies sit behind a proxy that records every policy the model reads while it
 * instantiates and searches, and the search to hand the checker: it stops the recording when the
 * search returns, since what follows (shortest traces, replay tokens, which list every policy that
 * differs from the release) cannot change a verdict. A search can then tell that a what-if on a policy
 * not read could not have changed the run. One check per recorder.
 */
export function recordingReads(p: KernelProfile): {
  readonly profile: KernelProfile;
  readonly reads: ReadonlySet<string>;
  readonly explorer: Explorer;
} {
  const reads = new Set<string>();
  let recording = true;
  const policies = new Proxy(p.policies, {
    get(target, key, receiver): unknown {
      if (recording && typeof key === 'string') reads.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const explorer: Explorer = (...args) => {
    try {
      return explore(...args);
    } finally {
      recording = false;
    }
  };
  return { profile: { ...p, policies }, reads, explorer };
}

/** One row of the verdicts: a scenario instance and one of its conditions or invariants. */
export interface Target {
  readonly scenario: string;
  readonly condition: string;
}

/** The rows of one configuration on the scenario's instances, or why it could not be run. */
export type Run =
  { readonly rows: readonly Row[]; readonly reads: ReadonlySet<string> } | { readonly error: string };

export const targetKey = (t: Target): string => `${t.scenario}\t${t.condition}`;

/** A target's verdict in a run; an invariant with no row never fired. */
export function verdictIn(rows: readonly Row[], t: Target): Row['verdict'] {
  return rows.find((r) => r.scenario === t.scenario && r.condition === t.condition)?.verdict ?? 'never';
}

/** The invariants that fire on one scenario instance. */
export function firing(rows: readonly Row[], scenario: string): Set<string> {
  return new Set(
    rows
      .filter((r) => r.scenario === scenario && r.kind === 'invariant' && r.verdict !== 'never')
      .map((r) => r.condition),
  );
}

/**
 * Why a run cannot speak for a target: the model could not run it, the target judged nothing (every
 * interleaving deadlocked or ended in an error), or an invariant fires that is not in `allowed` (the
 * combination trades the bug for another, such as pins released by put). Null when it can.
 */
export function unsound(run: Run, t: Target, allowed: ReadonlySet<string>): string | null {
  if ('error' in run) return run.error;
  const row = run.rows.find((r) => r.scenario === t.scenario && r.condition === t.condition);
  const extra = [...firing(run.rows, t.scenario)].filter((i) => !allowed.has(i));
  const why = [
    ...(extra.length > 0 ? [`${extra.join(', ')} fires`] : []),
    ...(row?.reason ? [row.reason] : []),
  ];
  return why.length > 0 ? why.join('; ') : null;
}

/** Bisect's answer for one target: flipped when it has the good kernel's verdict, kept with the bad one's. */
export function bisectOutcome(
  run: Run,
  t: Target,
  verdicts: { readonly good: Row['verdict']; readonly bad: Row['verdict'] },
  allowed: ReadonlySet<string>,
): Outcome {
  if ('error' in run || unsound(run, t, allowed) !== null) return 'unresolved';
  const v = verdictIn(run.rows, t);
  return v === verdicts.good ? 'flipped' : v === verdicts.bad ? 'kept' : 'unresolved';
}

/** Whether a run prevents every target: each `never`, judged soundly (see unsound). */
export function prevents(
  run: Run,
  targets: readonly Target[],
  allowed: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  if ('error' in run) return false;
  return targets.every(
    (t) =>
      verdictIn(run.rows, t) === 'never' && unsound(run, t, allowed.get(t.scenario) ?? new Set()) === null,
  );
}

/**
 * Prevent's answer for a set: whether it prevents every target, and the policies its run read. A
 * profile that never ran (inconsistent, or the model could not run it) counts as reading every policy:
 * another value may make it consistent, so no larger set may be taken for it.
 */
export function preventProbe(
  run: Run,
  targets: readonly Target[],
  allowed: ReadonlyMap<string, ReadonlySet<string>>,
): Probe {
  return {
    hit: prevents(run, targets, allowed),
    reads: 'error' in run ? new Set(POLICY_NAMES) : run.reads,
  };
}

/** A target's result in a run as a few words: the verdict, or why the run cannot speak for it. */
export function outcomeText(run: Run, t: Target, allowed: ReadonlySet<string>): string {
  if ('error' in run) return `the model cannot run it (${run.error})`;
  const why = unsound(run, t, allowed);
  const v = verdictIn(run.rows, t);
  return why === null ? v : `${v}, but ${why}`;
}
