import { INVARIANTS, type Invariant, type Violation } from '../model/invariants/index.js';
import { anonOrderUnavailable } from '../model/mm/anon-orders.js';
import { dioPathUnavailable } from '../model/fs/dio-path.js';
import { opDef } from '../model/ops/index.js';
import type { KernelProfile } from '../model/profile/profiles.js';
import { instantiate } from '../model/engine/instantiate.js';
import type { Program } from '../model/engine/program.js';
import type { Transition } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';
import { resolveBounds, type BoundName, type Bounds, type ShouldStop } from './bounds.js';
import { propExprs, type Condition, type Expr, type Prop, type Verdict } from './condition.js';
import { explore, type Explorer, type ExploreStats, type Progress } from './explore.js';

import { encodeToken } from './replay.js';
import { shortestPaths, type Goal } from './shortest.js';
import { runSteps, type Trace } from './trace.js';
import { observedReads, type FailedOp, type Outcomes } from './outcomes.js';
import { conditionVerdict, deadlockVerdict, invariantVerdict, quantifierHolds } from './verdict.js';

export type { Bounds, BoundName, ShouldStop } from './bounds.js';
export type { Condition, Expr, Prop, Verdict } from './condition.js';
export type { Explorer, ExploreStats, Progress } from './explore.js';
export { PROGRESS_EVERY } from './search.js';
export type { Invariant, Violation } from '../model/invariants/index.js';
export { decodeToken, encodeToken, replay } from './replay.js';
export type { DecodedToken, ReplayError, ReplayResult } from './replay.js';
export type { FolioChange, FolioCounters, Trace, TraceEnd, TraceStep } from './trace.js';
export { FingerprintTable } from './fingerprint-table.js';
export { hashPlain, worldKey } from './state-key.js';

export interface CheckOptions extends Bounds {
  /** Partial-order reduction (default true). Verdicts and final-state counts do not depend on it. */
  readonly por?: boolean;
  /** The invariants judged during the search (default: the model's, INVARIANTS). */
  readonly invariants?: readonly Invariant[];
  /** The clock for `timeoutMs`; without one there is no time bound. */
  readonly now?: () => number;
  /** Polled with the time bound, by the search and the trace pass: the caller's memory watch, Ctrl-C. */
  readonly shouldStop?: ShouldStop;
  /** Compute the shortest traces (default true). */
  readonly traces?: boolean;
  /** Called every `progressEvery` (default PROGRESS_EVERY) stored states of the search. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
  /** The search (default: explore, in this thread; runtime/threads.ts gives one in several threads). */
  readonly explorer?: Explorer;
}

export interface ConditionResult {
  readonly name: string;
  readonly quantifier: 'exists' | 'forall';
  readonly verdict: Verdict;
  /** Whether the herd7 quantifier holds; null when a bound leaves it open. */
  readonly holds: boolean | null;
  /** Distinct final states where the property holds (herd's Positive) / does not (Negative). */
  readonly satisfy: number;
  readonly violate: number;
  /** Shortest run to a final state where the property holds (for `sometimes` / `always`). */
  readonly trace: Trace | null;
  /** For `forall`: shortest run to a final state where it does not. */
  readonly counterexample: Trace | null;
  /**
   * Why the verdict judges nothing, or null: the search was complete, but no interleaving reached a
   * final state that sets every register the condition reads (each deadlocked, or left them unset).
   */
  readonly vacuous: string | null;
}

export interface InvariantResult {
  readonly name: string;
  readonly severity: 'error' | 'flag';
  readonly verdict: Verdict;
  /** Distinct terminal states reached without violating it / final states reached through a violation. */
  readonly clean: number;
  readonly violating: number;
  /** The violation shown by the trace (or the first met, when no trace was computed). */
  readonly violation: Violation | null;
  /** Shortest run whose last step (or final state) violates it. */
  readonly trace: Trace | null;
}

export interface DeadlockResult {
  readonly verdict: Verdict;
  /** Distinct deadlocked states (no step enabled, not quiescent). */
  readonly count: number;
  readonly trace: Trace | null;
}

export interface CheckResult {
  /** The profile's name (`v6.4`, `v6.4[dio.extract=get]`). */
  readonly kernel: string;
  /** Whether partial-order reduction was used. */
  readonly por: boolean;
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  /** Bytes of the search's fingerprint tables (what storing `states` cost). */
  readonly tableBytes: number;
  /** Distinct final (quiescent) states. */
  readonly finalStates: number;
  /** The bound that stopped or truncated the search (verdicts then say `inconclusive` where open). */
  readonly bound: BoundName | null;
  /** The bound that stopped the shortest-trace pass before it found every trace, or null. */
  readonly traceBound: BoundName | null;
  readonly conditions: readonly ConditionResult[];
  readonly invariants: readonly InvariantResult[];
  readonly deadlock: DeadlockResult;
  /** What the conditions read (`--states`): each distinct tuple of final values and its final states. */
  readonly reads: readonly Expr[];
  readonly outcomes: Outcomes;
  /** The threads' operations that returned an error (a condition built on one may mislead). */
  readonly failures: readonly FailedOp[];
  /** Wall time, filled by the caller if it wants one (the checker reads no clock for its results). */
  readonly ms?: number;
}

/** An operation (or a mapping) the profile cannot run (e.g. pin_user_pages before v5.6), with the model's reason. */
export interface UnavailableOp {
  readonly actor: number;
  readonly pc: number;
  readonly op: string;
  readonly reason: string;
}

/**
 * The operations of `program` (setup ones with pc -1) that `profile` cannot run. `check` expects none: callers (the scenario layer) reject or skip
 * such a (program, profile) pair first; the model fails loudly if asked to run one.
 */
export function unavailableOps(program: Program, profile: KernelProfile): UnavailableOp[] {
  const out: UnavailableOp[] = [];
  const test = (actor: number, pc: number, o: Program['setup'][number][1]): void => {
    const reason = opDef(o).unavailable(profile.policies, o) ?? dioPathReason(o);
    if (reason !== null) out.push({ actor, pc, op: o.op, reason });
  };
  // A direct-I/O path the file's filesystem takes only on other releases (ext4, btrfs: dio-path.ts).
  const dioPathReason = (o: Program['setup'][number][1]): string | null => {
    if (o.op !== 'dio' && o.op !== 'uring-rw') return null;
    const fs = program.files.find((f) => f.name === o.file)?.fs;
    return fs === undefined ? null : dioPathUnavailable(profile.policies, fs, o.path);
  };
  program.setup.forEach(([actor, o]) => test(actor, -1, o));
  program.actors.forEach((a, actor) => a.ops.forEach((o, pc) => test(actor, pc, o)));
  // A mapping whose pages the release cannot have: op 'map', the process as actor, the mapping as pc.
  program.processes.forEach((proc, i) =>
    proc.mappings.forEach((m, j) => {
      const reason = anonOrderUnavailable(
        profile.policies,
        m.backing.type === 'anon',
        m.page.kind === 'thp' ? m.page.order : null,
      );
      if (reason !== null) out.push({ actor: i, pc: j, op: 'map', reason });
    }),
  );
  return out;
}

interface TraceRequest {
  readonly goal: Goal;
  readonly set: (t: Trace) => void;
}

/** An expression that reads as null in every World (evaluate.ts: no actor has index -1). */
const ABSENT: Expr = { kind: 'reg', actor: -1, reg: '' };

/** The registers a condition's property reads. */
function regsOf(p: Prop): Extract<Expr, { kind: 'reg' }>[] {
  return propExprs(p).filter((e): e is Extract<Expr, { kind: 'reg' }> => e.kind === 'reg');
}

/** `c` completed: a final state where every register it reads was set (true without registers). */
function completion(c: Condition): Condition {
  const set: Prop[] = regsOf(c.prop).map((r) => ({
    kind: 'not',
    arg: { kind: 'eq', left: r, right: ABSENT },
  }));
  return { name: `${c.name} completed`, quantifier: 'exists', prop: { kind: 'and', args: set } };
}

/** Why a complete search judged nothing for a condition (see ConditionResult.vacuous), or null. */
function vacuity(c: Condition, completed: number, stats: ExploreStats, program: Program): string | null {
  if (stats.bound !== null || completed > 0) return null;
  if (stats.finals === 0)
    return `no interleaving completes: every terminal state is a deadlock (${stats.deadlocks})`;
  const names = [...new Set(regsOf(c.prop).map((r) => `${program.actors[r.actor]?.name ?? '?'}:${r.reg}`))];
  return `no final state sets ${names.join(', ')}`;
}

/**
 * Check a program on one kernel profile: explore every interleaving (up to the bounds), give each
 * condition and invariant its verdict, and the shortest trace for each `sometimes` / `always`.
 * Deterministic: the same arguments give deep-equal results.
 */
export function check(
  program: Program,
  conditions: readonly Condition[],
  profile: KernelProfile,
  options: CheckOptions = {},
): CheckResult {
  const invariants = options.invariants ?? INVARIANTS;
  const bounds = resolveBounds(options, options.now !== undefined);
  const policies = profile.policies;
  const initial: World = instantiate(program, policies);
  const search = options.explorer ?? explore;
  // Each condition's completion is counted alongside it, so a search that judged nothing says so.
  const counted = [...conditions, ...conditions.map(completion)];
  const stats: ExploreStats = search(program, policies, initial, counted, {
    por: options.por ?? true,
    invariants,
    bounds,
    ...(options.now ? { now: options.now } : {}),
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressEvery !== undefined ? { progressEvery: options.progressEvery } : {}),
  });
  const complete = stats.bound === null;

  const condTrace: (Trace | null)[] = conditions.map(() => null);
  const condCounter: (Trace | null)[] = conditions.map(() => null);
  const invTrace: (Trace | null)[] = invariants.map(() => null);
  let deadTrace: Trace | null = null;
  const requests: TraceRequest[] = [];
  conditions.forEach((c, i) => {
    const s = stats.conditions[i];
    if (!s) return;
    if (s.satisfy > 0)
      requests.push({ goal: { kind: 'final', condition: i, satisfy: true }, set: (t) => (condTrace[i] = t) });
    if (c.quantifier === 'forall' && s.violate > 0)
      requests.push({
        goal: { kind: 'final', condition: i, satisfy: false },
        set: (t) => (condCounter[i] = t),
      });
  });
  stats.invariants.forEach((s, i) => {
    if (s.violated)
      requests.push({ goal: { kind: 'invariant', invariant: i }, set: (t) => (invTrace[i] = t) });
  });
  if (stats.deadlocks > 0) requests.push({ goal: { kind: 'deadlock' }, set: (t) => (deadTrace = t) });

  let traceBound: BoundName | null = null;
  if ((options.traces ?? true) && requests.length > 0) {
    const sp = shortestPaths(
      program,
      policies,
      initial,
      conditions,
      invariants,
      requests.map((r) => r.goal),
      bounds,
      options.now,
      options.shouldStop,
      {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.progressEvery !== undefined ? { every: options.progressEvery } : {}),
      },
    );
    traceBound = sp.bound;
    requests.forEach((req, i) => {
      const path = sp.paths[i];
      const end = sp.ends[i];
      if (!path || !end) return;
      req.set(makeTrace(program, profile, initial, path, invariants, end));
    });
  }

  const violationOf = (i: number): Violation | null => {
    const t = invTrace[i];
    const name = invariants[i]?.name;
    const last = t?.steps[t.steps.length - 1];
    const v = t?.end === 'violation' && last ? last.violations.find((x) => x.invariant === name) : undefined;
    return v ?? stats.invariants[i]?.firstViolation ?? null;
  };

  return {
    kernel: profile.name,
    por: stats.por,
    states: stats.states,
    transitions: stats.transitions,
    maxDepth: stats.maxDepth,
    tableBytes: stats.tableBytes,
    finalStates: stats.finals,
    reads: observedReads(conditions),
    outcomes: stats.outcomes,
    failures: stats.failures,
    bound: stats.bound,
    traceBound,
    conditions: conditions.map((c, i) => {
      const s = stats.conditions[i] ?? { satisfy: 0, violate: 0 };
      return {
        name: c.name,
        quantifier: c.quantifier,
        verdict: conditionVerdict(s.satisfy, s.violate, complete),
        holds: quantifierHolds(c.quantifier, s.satisfy, s.violate, complete),
        satisfy: s.satisfy,
        violate: s.violate,
        trace: condTrace[i] ?? null,
        counterexample: condCounter[i] ?? null,
        vacuous: vacuity(c, stats.conditions[conditions.length + i]?.satisfy ?? 0, stats, program),
      };
    }),
    invariants: invariants.map((inv, i) => {
      const s = stats.invariants[i] ?? {
        violated: false,
        cleanTerminals: 0,
        violatingFinals: 0,
        firstViolation: null,
      };
      return {
        name: inv.name,
        severity: inv.severity,
        verdict: invariantVerdict(s.violated, s.cleanTerminals, complete),
        clean: s.cleanTerminals,
        violating: s.violatingFinals,
        violation: violationOf(i),
        trace: invTrace[i] ?? null,
      };
    }),
    deadlock: {
      verdict: deadlockVerdict(stats.deadlocks, stats.finals, complete),
      count: stats.deadlocks,
      trace: deadTrace,
    },
  };
}

function makeTrace(
  program: Program,
  profile: KernelProfile,
  initial: World,
  path: readonly Transition[],
  invariants: readonly Invariant[],
  end: 'quiescent' | 'deadlock' | 'violation',
): Trace {
  const run = runSteps(program, profile, initial, path, invariants);
  return {
    token: encodeToken(profile, path),
    end,
    steps: run.steps,
    actors: run.actors,
    initial: run.initial,
  };
}
