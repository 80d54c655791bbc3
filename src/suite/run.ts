import {
  check,
  unavailableOps,
  type CheckResult,
  type Explorer,
  type Progress,
  type ShouldStop,
  type Trace,
} from '../check/index.js';
import type { Verdict } from '../check/condition.js';
import { replay } from '../check/replay.js';
import { deadlockWaits, type DeadlockWait } from '../check/deadlock.js';
import type { KernelProfile } from '../model/profile/profiles.js';
import type { Outcomes } from '../check/outcomes.js';
import { expectedVerdict, type ParsedScenario } from '../scenario/index.js';
import { INVARIANTS } from '../model/invariants/index.js';
import { exprText, programNames } from '../scenario/printer.js';

/** One verdict of a suite: a (scenario, kernel, condition or invariant) triple. */
export interface Row {
  readonly scenario: string;
  readonly kernel: string;
  /** The condition's name, or the invariant's (kind says which). */
  readonly condition: string;
  readonly kind: 'condition' | 'invariant';
  /** A condition's herd7 quantifier (`exists` states a bad outcome, `forall` a good one); null for an invariant. */
  readonly quantifier: 'exists' | 'forall' | null;
  /** `unavailable` when the kernel cannot run one of the scenario's operations. */
  readonly verdict: Verdict | 'unavailable';
  readonly expected: Verdict | null;
  /** Whether the verdict matches the expectation (null when none is stated). */
  readonly ok: boolean | null;
  readonly states: number;
  readonly transitions: number;
  /** The deepest state the search visited, and the bytes of its fingerprint tables. */
  readonly depth: number;
  readonly tableBytes: number;
  /**
   * herd7's witnesses of a condition: distinct final states where its property holds (Positive) and
   * where it does not (Negative); null for an invariant, or a release that cannot run the scenario.
   */
  readonly witnesses: Witnesses | null;
  /**
   * herd7's final states of the (scenario, kernel) search, the same for each of its rows: what the
   * conditions read and each distinct tuple of values with its count; null when nothing ran.
   */
  readonly finals: FinalStates | null;
  /** The threads' operations that returned an error in the search (empty when nothing ran). */
  readonly failed: readonly FailedOpRow[];
  /** Where the search reached a deadlock: which thread waits on what, in its shortest one; else null. */
  readonly deadlock: readonly DeadlockWait[] | null;
  readonly ms: number;
  readonly bound: string | null;
  /** Why the kernel cannot run the scenario (`unavailable`), or why the verdict judges nothing (ok false). */
  readonly reason: string | null;
  readonly trace: Trace | null;
  /** `pinlab replay` token: the scenario id, `@`, the checker's token. */
  readonly replay: string | null;
}

export interface Witnesses {
  readonly satisfy: number;
  readonly violate: number;
}

export interface FinalStates extends Outcomes {
  /** The values read, as the scenario writes them (`A:r`, `P:buf`, `disk:f[0]`). */
  readonly reads: readonly string[];
}

export interface FailedOpRow {
  readonly thread: string;
  /** The operation's line in the thread, from 1, and its name. */
  readonly line: number;
  readonly op: string;
  readonly errnos: readonly number[];
  /** It failed every time it ran. */
  readonly always: boolean;
}

export interface SuiteOptions {
  readonly maxStates?: number;
  readonly timeoutMs?: number;
  /** Bytes for the fingerprint tables (check/bounds.ts). */
  readonly maxMemory?: number;
  /** What the caller watches for the checker: memory, Ctrl-C (check/bounds.ts ShouldStop). */
  readonly shouldStop?: ShouldStop;
  readonly por?: boolean;
  /** The clock (only the CLI has one); results stay deterministic apart from `ms`. */
  readonly now?: () => number;
  /** Progress of the search under way: which scenario instance, on which kernel, how far. */
  readonly onProgress?: (id: string, kernel: string, p: Progress) => void;
  /** How many stored states between two calls of `onProgress` (default: the checker's). */
  readonly progressEvery?: number;
  /** The search each check runs (default: explore, in this thread). */
  readonly explorer?: Explorer;
  /** Find the shortest trace of each outcome (default true); verdicts alone need none. */
  readonly traces?: boolean;
}

function finalStates(s: ParsedScenario, r: CheckResult): FinalStates {
  const names = programNames(s.scenario.program);
  return {
    reads: r.reads.map((e) => exprText(e, names)),
    list: r.outcomes.list,
    unlisted: r.outcomes.unlisted,
  };
}

/** The threads blocked in the last state of the search's shortest deadlock, or null without one. */
function deadlockOf(s: ParsedScenario, r: CheckResult): DeadlockWait[] | null {
  const t = r.deadlock.trace;
  if (t === null) return null;
  const run = replay(s.scenario.program, t.token);
  return run.ok ? deadlockWaits(s.scenario.program, run.profile.policies, run.world) : null;
}

function rowsOf(s: ParsedScenario, profile: KernelProfile, r: CheckResult, ms: number): Row[] {
  const id = s.scenario.id;
  const base = {
    scenario: id,
    kernel: profile.name,
    states: r.states,
    transitions: r.transitions,
    depth: r.maxDepth,
    tableBytes: r.tableBytes,
    witnesses: null,
    finals: finalStates(s, r),
    failed: r.failures.map((f) => ({
      thread: s.scenario.program.actors[f.actor]?.name ?? `#${f.actor}`,
      line: f.pc + 1,
      op: f.op,
      errnos: f.errnos,
      always: f.always,
    })),
    ms,
    bound: r.bound,
    reason: null,
    deadlock: deadlockOf(s, r),
  };
  const judge = (verdict: Verdict, expected: Verdict | null): boolean | null =>
    expected === null ? null : verdict === expected;
  const conds: Row[] = r.conditions.map((c) => {
    const expected = expectedVerdict(s.scenario, c.name, profile.name);
    // A condition nothing completed for is a failure whatever was expected, shown by a deadlock if any.
    const trace = c.trace ?? c.counterexample ?? (c.vacuous === null ? null : r.deadlock.trace);
    return {
      ...base,
      condition: c.name,
      kind: 'condition',
      quantifier: c.quantifier,
      witnesses: { satisfy: c.satisfy, violate: c.violate },
      verdict: c.verdict,
      expected,
      ok: c.vacuous === null ? judge(c.verdict, expected) : false,
      reason: c.vacuous,
      trace,
      replay: trace ? `${id}@${trace.token}` : null,
    };
  });
  const invs: Row[] = r.invariants.flatMap((inv) => {
    const expected = expectedVerdict(s.scenario, inv.name, profile.name);
    // An invariant that never fires and is not expected to is noise in a report.
    if (inv.verdict === 'never' && expected === null) return [];
    return [
      {
        ...base,
        condition: inv.name,
        kind: 'invariant' as const,
        quantifier: null,
        verdict: inv.verdict,
        expected,
        ok: judge(inv.verdict, expected ?? 'never'),
        trace: inv.trace,
        replay: inv.trace ? `${id}@${inv.trace.token}` : null,
      },
    ];
  });
  return [...conds, ...invs];
}

function unavailableRows(s: ParsedScenario, profile: KernelProfile, reason: string): Row[] {
  return s.scenario.conditions.map((c) => {
    const expected = expectedVerdict(s.scenario, c.name, profile.name);
    return {
      scenario: s.scenario.id,
      kernel: profile.name,
      condition: c.name,
      kind: 'condition',
      quantifier: c.quantifier,
      verdict: 'unavailable',
      expected,
      ok: expected === null ? null : false,
      states: 0,
      transitions: 0,
      depth: 0,
      tableBytes: 0,
      witnesses: null,
      finals: null,
      failed: [],
      deadlock: null,
      ms: 0,
      bound: null,
      reason,
      trace: null,
      replay: null,
    };
  });
}

/**
 * Check every scenario on every profile: one row per condition, plus one per invariant that fires
 * (or that the scenario states an expectation for; an unexpected invariant violation is a mismatch).
 */
export function runSuite(
  scenarios: readonly ParsedScenario[],
  profiles: readonly KernelProfile[],
  options: SuiteOptions = {},
): Row[] {
  const rows: Row[] = [];
  for (const s of scenarios)
    for (const profile of profiles) {
      const missing = unavailableOps(s.scenario.program, profile);
      if (missing.length > 0) {
        rows.push(...unavailableRows(s, profile, missing[0]?.reason ?? 'unavailable'));
        continue;
      }
      const start = options.now?.() ?? 0;
      const r = located(s, profile, () => checkOne(s, profile, options));
      const ms = options.now ? Math.round(options.now() - start) : 0;
      rows.push(...rowsOf(s, profile, r, ms));
    }
  return rows;
}

/** A test a search reports: its scenario, release and condition or invariant. */
export type PlannedTest = Pick<Row, 'scenario' | 'kernel' | 'condition' | 'kind'>;

/**
 * The tests a search of `s` on `kernel` reports whatever it finds: each condition, and each invariant
 * the scenario states an expectation for there (any other invariant has a row only when it fires).
 */
export function plannedTests(s: ParsedScenario, kernel: string): PlannedTest[] {
  const scenario = s.scenario.id;
  const expected = INVARIANTS.filter((i) => expectedVerdict(s.scenario, i.name, kernel) !== null);
  return [
    ...s.scenario.conditions.map((c) => ({
      scenario,
      kernel,
      condition: c.name,
      kind: 'condition' as const,
    })),
    ...expected.map((i) => ({ scenario, kernel, condition: i.name, kind: 'invariant' as const })),
  ];
}

/**
 * An operation the model could not complete (a what-if that makes a profile inconsistent, a model
 * bug): where, on which profile, and the model's own message. The CLI prints it and exits 3.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

function located<T>(s: ParsedScenario, profile: KernelProfile, run: () => T): T {
  try {
    return run();
  } catch (e) {
    const at = `${s.where.file}:${s.where.scenario.line}:${s.where.scenario.col}`;
    const why = e instanceof Error ? e.message : String(e);
    throw new ModelError(`${at}: ${s.scenario.id} on ${profile.name}: the model cannot run it: ${why}`, {
      cause: e,
    });
  }
}

function checkOne(s: ParsedScenario, profile: KernelProfile, options: SuiteOptions): CheckResult {
  return check(s.scenario.program, s.scenario.conditions, profile, {
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxMemory !== undefined ? { maxMemory: options.maxMemory } : {}),
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    ...(options.por !== undefined ? { por: options.por } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.explorer ? { explorer: options.explorer } : {}),
    ...(options.progressEvery !== undefined ? { progressEvery: options.progressEvery } : {}),
    ...(options.traces !== undefined ? { traces: options.traces } : {}),
    ...(options.onProgress
      ? { onProgress: (p: Progress) => options.onProgress?.(s.scenario.id, profile.name, p) }
      : {}),
  });
}
