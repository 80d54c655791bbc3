import type { Invariant, Violation } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { Program } from '../model/engine/program.js';
import type { World } from '../model/core/world.js';
import type { BoundName, ResolvedBounds, ShouldStop } from './bounds.js';
import type { Condition } from './condition.js';
import { FingerprintTable, type StateSet } from './fingerprint-table.js';
import { mergeFailures, mergeOutcomes, type FailedOp, type Outcomes } from './outcomes.js';
import { DepthFirstSearch } from './search.js';
import { rootUnit, type WorkUnit } from './share.js';

/**
 * A check's search and its figures: the options it takes, the counts it returns, the tables it stores
 * states in, and how the figures of a search shared by threads merge (search.ts is the search itself).
 */

/** How far a search has gone, for a caller's progress line (SPIN prints the like every million states). */
export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** The deepest state visited so far. */
  readonly maxDepth: number;
  /** Bytes held by the visited-state table. */
  readonly tableBytes: number;
  /** Set once the exploration is over and the shortest-trace pass (a second search) runs. */
  readonly phase?: 'traces';
}

export interface ExploreOptions {
  readonly por: boolean;
  readonly invariants: readonly Invariant[];
  readonly bounds: ResolvedBounds;
  readonly now?: () => number;
  /** Polled with the time bound: the caller's memory watch or Ctrl-C (bounds.ts). */
  readonly shouldStop?: ShouldStop;
  /** Called each time `progressEvery` more states are stored (a callback: the search does no I/O). */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEvery?: number;
}

export interface ConditionCounts {
  /** Distinct final Worlds where the property holds / does not. */
  readonly satisfy: number;
  readonly violate: number;
}

export interface InvariantCounts {
  /** Some explored step or final World violates it. */
  readonly violated: boolean;
  /** Distinct terminal (final or deadlocked) Worlds reached by a path free of violations of it. */
  readonly cleanTerminals: number;
  /** Distinct final Worlds reached through a violation of it (flag severity), or violating at quiescence. */
  readonly violatingFinals: number;
  /** The first violation the depth-first order met (the reported one comes from the shortest trace). */
  readonly firstViolation: Violation | null;
}

export interface ExploreStats {
  /** Search states stored (World × violated-flag mask). */
  readonly states: number;
  /** Transitions explored (edges followed). */
  readonly transitions: number;
  /** The deepest state visited, in steps from the initial state. */
  readonly maxDepth: number;
  /** The bound that stopped or truncated the search, or null when it is complete. */
  readonly bound: BoundName | null;
  /** Distinct final (quiescent) Worlds and deadlocked Worlds. */
  readonly finals: number;
  readonly deadlocks: number;
  readonly conditions: readonly ConditionCounts[];
  readonly invariants: readonly InvariantCounts[];
  /** The distinct tuples of values the conditions read in the final Worlds (outcomes.ts). */
  readonly outcomes: Outcomes;
  /** The threads' operations that returned an error in some explored step. */
  readonly failures: readonly FailedOp[];
  /** Whether the reduction was on (off when asked, or when a `state`-scope invariant is present). */
  readonly por: boolean;
  /** Bytes held by the search's fingerprint tables at the end (visited, final, deadlocked, per invariant). */
  readonly tableBytes: number;
}

/** The sets a search stores fingerprints in (or what makes them): its own, or shared by threads. */
export interface SearchTables<T = StateSet> {
  readonly visited: T;
  /** Final and deadlocked Worlds, by World key. */
  readonly finals: T;
  readonly deadlocked: T;
  /** Per invariant: terminal Worlds reached cleanly / final Worlds reached through a violation. */
  readonly clean: readonly T[];
  readonly dirty: readonly T[];
}

export function mapTables<T, U>(t: SearchTables<T>, f: (x: T) => U): SearchTables<U> {
  return {
    visited: f(t.visited),
    finals: f(t.finals),
    deadlocked: f(t.deadlocked),
    clean: t.clean.map(f),
    dirty: t.dirty.map(f),
  };
}

/** A first table size within the memory bound (8 bytes a slot), at most 4096 slots. */
function initialSlots(maxMemory: number): number {
  let slots = 16;
  while (slots < 4096 && slots * 16 <= maxMemory) slots *= 2;
  return slots;
}

/** The tables of a search, each made by `make(initialSlots)` (all within `maxMemory`). */
export function searchTables<T>(
  invariants: number,
  maxMemory: number,
  make: (initialSlots: number) => T,
): SearchTables<T> {
  const few = (): T[] => Array.from({ length: invariants }, () => make(64));
  return {
    visited: make(initialSlots(maxMemory)),
    finals: make(64),
    deadlocked: make(64),
    clean: few(),
    dirty: few(),
  };
}

export interface Search {
  /** Search from a piece of work to its end (or to a bound, or to the hand-off). */
  run(unit: WorkUnit): void;
  /** The figures so far: this search's counts, the tables' sizes. */
  stats(): ExploreStats;
}

/** A search of a whole check: explore below, or runtime/threads.ts's. */
export type Explorer = (
  program: Program,
  policies: Policies,
  initial: World,
  conditions: readonly Condition[],
  opts: ExploreOptions,
) => ExploreStats;

export const explore: Explorer = (program, policies, initial, conditions, opts) => {
  const tables = searchTables(
    opts.invariants.length,
    opts.bounds.maxMemory,
    (n) => new FingerprintTable(n, opts.bounds.maxMemory),
  );
  const search = new DepthFirstSearch(program, policies, initial, conditions, opts, tables);
  search.run(rootUnit(initial));
  return search.stats();
};

/**
 * The figures of one search from its threads' (each thread's own counts, the shared tables' sizes at
 * its end: the largest is the last). A bound one thread stopped on stops the others too, so it wins
 * over a truncation by depth.
 */
export function mergeStats(parts: readonly ExploreStats[]): ExploreStats {
  const most = (f: (s: ExploreStats) => number): number => Math.max(0, ...parts.map(f));
  const sum = (f: (s: ExploreStats) => number): number => parts.reduce((n, s) => n + f(s), 0);
  const first = parts[0];
  if (first === undefined) throw new RangeError('mergeStats: no part');
  return {
    states: most((s) => s.states),
    transitions: sum((s) => s.transitions),
    maxDepth: most((s) => s.maxDepth),
    bound:
      parts.find((s) => s.bound !== null && s.bound !== 'depth')?.bound ??
      parts.find((s) => s.bound)?.bound ??
      null,
    finals: most((s) => s.finals),
    deadlocks: most((s) => s.deadlocks),
    conditions: first.conditions.map((_, i) => ({
      satisfy: sum((s) => s.conditions[i]?.satisfy ?? 0),
      violate: sum((s) => s.conditions[i]?.violate ?? 0),
    })),
    invariants: first.invariants.map((_, i) => ({
      violated: parts.some((s) => s.invariants[i]?.violated),
      cleanTerminals: most((s) => s.invariants[i]?.cleanTerminals ?? 0),
      violatingFinals: most((s) => s.invariants[i]?.violatingFinals ?? 0),
      firstViolation:
        parts.map((s) => s.invariants[i]?.firstViolation ?? null).find((v) => v !== null) ?? null,
    })),
    outcomes: mergeOutcomes(parts.map((s) => s.outcomes)),
    failures: mergeFailures(parts.map((s) => s.failures)),
    por: parts.some((s) => s.por),
    tableBytes: most((s) => s.tableBytes),
  };
}
