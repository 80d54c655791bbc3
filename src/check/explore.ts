import type { Found, Invariant, Violation } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { Program } from '../model/sim/program.js';
import {
  applyTransition,
  enabledTransitions,
  quiescent,
  type StepResult,
  type Transition,
} from '../model/sim/step.js';
import { sealWorld } from '../model/sim/cow.js';
import type { World } from '../model/sim/world.js';
import { Deadline, type BoundName, type ResolvedBounds } from './bounds.js';
import type { Condition } from './condition.js';
import { evalProp } from './evaluate.js';
import { FingerprintTable, type AddResult, type StateSet } from './fingerprint-table.js';
import { stepViolations } from './invariants.js';
import { independentOfOthers } from './por.js';
import {
  keyOfSum,
  keyString,
  searchKey,
  worldSum,
  worldSumAfter,
  type StateKey,
  type WorldSum,
} from './state-key.js';

/**
 * The stateful depth-first search (explicit stack, no recursion).
 *
 * A search state is a World plus the mask of flag-severity invariants already violated on the path
 * to it (so a state reached cleanly and the same World reached after a violation are explored
 * separately, and "every maximal path violates" can be decided exactly). Visited states are kept as
 * 64-bit fingerprints in a FingerprintTable. Terminal states (no enabled transition) are final when
 * quiescent and deadlocked otherwise; final and deadlocked Worlds are counted once each, by World
 * key, whatever the mask.
 *
 * After every step each invariant judges it; an `error` violation ends that path (its successor is
 * not visited), a `flag` violation sets the invariant's bit in the successor's mask.
 *
 * The same search runs in each thread of a parallel check (runtime/threads.ts): the tables are then
 * shared, every thread starts from pieces of work (WorkUnit) and, through its WorkShare strategy,
 * gives its oldest untaken transitions away when another thread has none. A state is stored by one
 * thread and expanded by that thread only, so a complete search counts the same states, transitions
 * and final states however it was shared.
 */

/** How far a search has gone, for a caller's progress line (SPIN prints the like every million states). */
export interface Progress {
  readonly states: number;
  readonly transitions: number;
  /** The deepest state visited so far. */
  readonly maxDepth: number;
  /** Bytes held by the visited-state table. */
  readonly tableBytes: number;
}

/** Stored states between two progress reports, unless told otherwise. */
export const PROGRESS_EVERY = 1 << 20;

export interface ExploreOptions {
  readonly por: boolean;
  readonly invariants: readonly Invariant[];
  readonly bounds: ResolvedBounds;
  readonly now?: () => number;
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
  /** Whether the reduction was on (off when asked, or when a `state`-scope invariant is present). */
  readonly por: boolean;
  /** Bytes held by the search's fingerprint tables at the end (visited, final, deadlocked, per invariant). */
  readonly tableBytes: number;
}

interface Edge {
  readonly r: StepResult;
  /** The step's violations, null when none. */
  readonly found: readonly Found[] | null;
  sum?: WorldSum;
}

interface Frame {
  readonly world: World;
  readonly sum: WorldSum;
  readonly mask: number;
  /** The state's key as a string, kept only with the reduction (for its stack proviso). */
  readonly key: string | null;
  readonly depth: number;
  /** Shortened when the transitions past `next` are given to another thread. */
  todo: readonly Transition[];
  readonly edges: (Edge | undefined)[];
  next: number;
}

/** The flag bit of each invariant (0 for error severity). At most 30 flag invariants. */
export function flagBits(invariants: readonly Invariant[]): number[] {
  let next = 0;
  return invariants.map((inv) => {
    if (inv.severity !== 'flag') return 0;
    if (next >= 30) throw new RangeError('pinlab check: at most 30 flag-severity invariants');
    return 1 << next++;
  });
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

/**
 * A piece of search: the state reached from the initial one by `path` (stored already, its sum and
 * violation mask given) and the transitions still to take from it; `todo` null for the initial state
 * itself, not stored yet.
 */
export interface WorkUnit {
  readonly path: readonly Transition[];
  readonly sum: WorldSum;
  readonly mask: number;
  readonly todo: readonly Transition[] | null;
}

/**
 * How a search shares work and stopping with other threads (runtime/threads.ts): a strategy, ALONE in
 * one thread, the pool's view in a worker (work-pool.ts), handOff in the calling thread before workers.
 */
export interface WorkShare {
  /** Transitions between two calls of `poll` (and looks at `wanted`); Infinity: never. */
  readonly every: number;
  /** Stored states at which the search stops and `give`s all its untaken work; Infinity: never. */
  readonly handOffAt: number;
  /** Every `every` transitions: this thread's figures so far; the bound another thread stopped on, or null. */
  poll(transitions: number, maxDepth: number): BoundName | null;
  /** Whether another thread waits for work. */
  wanted(): boolean;
  /** Take `unit` for another thread; false when there is no room for it. */
  give(unit: WorkUnit): boolean;
  stop(bound: BoundName): void;
}

/** One thread's search: alone, it shares nothing and may use the reduction. */
export const ALONE: WorkShare = {
  every: Number.POSITIVE_INFINITY,
  handOffAt: Number.POSITIVE_INFINITY,
  poll: () => null,
  wanted: () => false,
  give: () => false,
  stop: () => undefined,
};

/** A share that stops the search at `at` stored states, keeping its untaken work (`units`) for threads. */
export function handOff(at: number): WorkShare & { readonly units: readonly WorkUnit[] } {
  const units: WorkUnit[] = [];
  return { ...ALONE, handOffAt: at, units, give: (u) => units.push(u) > 0 };
}

export interface Search {
  /** Search from a piece of work to its end (or to a bound, or to the hand-off). */
  run(unit: WorkUnit): void;
  /** The figures so far: this search's counts, the tables' sizes. */
  stats(): ExploreStats;
}

/** The piece of work that starts a search: the initial state. */
export function rootUnit(initial: World): WorkUnit {
  return { path: [], sum: worldSum(initial), mask: 0, todo: null };
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
    por: parts.some((s) => s.por),
    tableBytes: most((s) => s.tableBytes),
  };
}

/** Returned by `judge` for a step whose violation is an error: its successor is not visited. */
const DEAD = -1;

/**
 * A depth-first search over `tables`: alone (`share` ALONE), or as one thread of a parallel check, or
 * as the calling thread's start of one (handOff). `run` is the whole loop; each step of it is a method.
 */
export class DepthFirstSearch implements Search {
  private readonly invariants: readonly Invariant[];
  private readonly bounds: ResolvedBounds;
  /** The reduction: asked for, alone (its stack proviso is one thread's), all invariants `step`-scoped. */
  private readonly por: boolean;
  private readonly bits: readonly number[];
  private readonly deadline: Deadline;
  private readonly progressEvery: number;
  private readonly satisfy: number[];
  private readonly violate: number[];
  private readonly violated: boolean[];
  private readonly firstViolation: (Violation | null)[];
  private readonly onStack = new Set<string>();
  private readonly start: World;
  private readonly stack: Frame[] = [];
  /** The path from the initial state to the stack's bottom frame (the current unit's). */
  private base: readonly Transition[] = [];
  private transitions = 0;
  private maxDepth = 0;
  /** The transition count at which the work share is next polled. */
  private nextPoll: number;
  private stopped: BoundName | null = null;
  private truncated: BoundName | null = null;

  constructor(
    private readonly program: Program,
    private readonly policies: Policies,
    initial: World,
    private readonly conditions: readonly Condition[],
    private readonly opts: ExploreOptions,
    private readonly tables: SearchTables,
    private readonly share: WorkShare = ALONE,
  ) {
    const { invariants } = opts;
    this.invariants = invariants;
    this.bounds = opts.bounds;
    this.por = opts.por && share === ALONE && invariants.every((inv) => inv.scope === 'step');
    this.bits = flagBits(invariants);
    this.deadline = new Deadline(opts.now, opts.bounds.timeoutMs);
    this.progressEvery = Math.max(1, Math.floor(opts.progressEvery ?? PROGRESS_EVERY));
    this.satisfy = conditions.map(() => 0);
    this.violate = conditions.map(() => 0);
    this.violated = invariants.map(() => false);
    this.firstViolation = invariants.map(() => null);
    this.start = sealWorld(initial);
    this.nextPoll = share.every;
  }

  run(unit: WorkUnit): void {
    if (this.stopped === null && this.deadline.expired()) this.stop('time');
    const first = this.stopped === null ? this.unitFrame(unit) : null;
    if (first) this.push(first);
    const { stack } = this;
    while (stack.length > 0 && this.stopped === null) {
      if (this.tables.visited.size >= this.share.handOffAt) {
        this.offer((u) => this.share.give(u));
        break;
      }
      const f = stack[stack.length - 1] as Frame;
      if (f.next >= f.todo.length) {
        this.pop(f);
        continue;
      }
      const e = this.follow(f);
      if (!this.tick()) break;
      const mask = this.judge(f.mask, e.found);
      if (mask === DEAD) continue;
      const child = this.visit(
        e.r.world,
        e.sum ?? worldSumAfter(f.world, f.sum, e.r.world),
        mask,
        f.depth + 1,
      );
      if (child) this.push(child);
    }
    stack.length = 0;
    this.onStack.clear();
    this.share.poll(this.transitions, this.maxDepth);
  }

  /** The figures so far: this search's counts, the tables' sizes. */
  stats(): ExploreStats {
    const { visited, finals, deadlocked, clean, dirty } = this.tables;
    return {
      states: visited.size,
      transitions: this.transitions,
      maxDepth: this.maxDepth,
      bound: this.stopped ?? this.truncated,
      finals: finals.size,
      deadlocks: deadlocked.size,
      conditions: this.conditions.map((_, i) => ({
        satisfy: this.satisfy[i] ?? 0,
        violate: this.violate[i] ?? 0,
      })),
      invariants: this.invariants.map((_, i) => ({
        violated: this.violated[i] ?? false,
        cleanTerminals: clean[i]?.size ?? 0,
        violatingFinals: dirty[i]?.size ?? 0,
        firstViolation: this.firstViolation[i] ?? null,
      })),
      por: this.por,
      tableBytes: [visited, finals, deadlocked, ...clean, ...dirty].reduce((n, t) => n + t.bytes, 0),
    };
  }

  /** Take the top frame's next transition: its edge (computed now unless the reduction did), counted. */
  private follow(f: Frame): Edge {
    const i = f.next++;
    const e = f.edges[i] ?? this.exec(f.world, f.todo[i] as Transition);
    f.edges[i] = undefined; // let the successor World go once explored
    this.transitions += 1;
    return e;
  }

  /** The time bound, and the work share's turn every `share.every` transitions; false: stop now. */
  private tick(): boolean {
    if ((this.transitions & 255) === 0 && this.deadline.expired()) {
      this.stop('time');
      return false;
    }
    if (this.transitions === this.nextPoll) {
      this.nextPoll += this.share.every;
      this.stopped ??= this.share.poll(this.transitions, this.maxDepth);
      if (this.stopped === null && this.share.wanted()) this.giveAway();
    }
    return true;
  }

  /** The successor's mask after a step's violations (a flag sets its bit), or DEAD after an error. */
  private judge(mask: number, found: readonly Found[] | null): number {
    if (found === null) return mask;
    let out = mask;
    for (const { at, violation } of found) {
      this.violated[at] = true;
      this.firstViolation[at] ??= violation;
      if (this.invariants[at]?.severity === 'error') out = DEAD;
      else if (out !== DEAD) out |= this.bits[at] ?? 0;
    }
    return out;
  }

  private stop(b: BoundName): void {
    this.stopped = b;
    this.share.stop(b);
  }

  private note(r: AddResult): void {
    if (r === -1) this.stop('memory');
  }

  private exec(w: World, t: Transition): Edge {
    const r = applyTransition(this.program, this.policies, w, t);
    return { r, found: stepViolations(this.invariants, this.program, this.policies, r) };
  }

  private push(f: Frame): void {
    this.stack.push(f);
    if (f.key !== null) this.onStack.add(f.key);
  }

  private pop(f: Frame): void {
    this.stack.pop();
    if (f.key !== null) this.onStack.delete(f.key);
  }

  /** Store a state; its frame, or null when it was stored already, is terminal, or stops the search. */
  private visit(world: World, sum: WorldSum, mask: number, depth: number): Frame | null {
    const { visited } = this.tables;
    const wk = keyOfSum(sum);
    const k = searchKey(wk, mask);
    // One probe for a state below the bound: `add` says whether it was stored already.
    if (visited.size >= this.bounds.maxStates) {
      if (!visited.has(k.hi, k.lo)) this.stop('states');
      return null;
    }
    const added = visited.add(k.hi, k.lo);
    if (added !== 1) {
      if (added === -1) this.stop('memory');
      return null;
    }
    if (depth > this.maxDepth) this.maxDepth = depth;
    const { onProgress } = this.opts;
    if (onProgress !== undefined && visited.size % this.progressEvery === 0)
      onProgress({
        states: visited.size,
        transitions: this.transitions,
        maxDepth: this.maxDepth,
        tableBytes: visited.bytes,
      });
    const enabled = enabledTransitions(this.program, this.policies, world);
    if (enabled.length === 0) {
      this.terminal(world, wk, mask);
      return null;
    }
    if (depth >= this.bounds.maxDepth) {
      this.truncated = 'depth';
      return null;
    }
    const { todo, edges } = this.choose(world, sum, mask, enabled);
    return { world, sum, mask, key: this.por ? keyString(k) : null, depth, todo, edges, next: 0 };
  }

  /** Count a terminal World: final (its conditions judged) or deadlocked, clean or not per invariant. */
  private terminal(world: World, wk: StateKey, mask: number): void {
    const { finals, deadlocked, clean, dirty } = this.tables;
    const isFinal = quiescent(this.program, world, this.policies);
    if (isFinal) {
      const added = finals.add(wk.hi, wk.lo);
      this.note(added);
      if (added === 1)
        this.conditions.forEach((c, i) => {
          if (evalProp(world, c.prop)) this.satisfy[i] = (this.satisfy[i] ?? 0) + 1;
          else this.violate[i] = (this.violate[i] ?? 0) + 1;
        });
    } else this.note(deadlocked.add(wk.hi, wk.lo));
    this.bits.forEach((bit, i) => {
      if ((mask & bit) === 0) this.note((clean[i] as StateSet).add(wk.hi, wk.lo));
      else if (isFinal) this.note((dirty[i] as StateSet).add(wk.hi, wk.lo));
    });
  }

  /** The transitions to take from a state: all, or with the reduction one independent of the others. */
  private choose(
    world: World,
    sum: WorldSum,
    mask: number,
    enabled: Transition[],
  ): Pick<Frame, 'todo' | 'edges'> {
    const edges: (Edge | undefined)[] = enabled.map(() => undefined);
    if (this.por && enabled.length > 1) {
      for (let i = 0; i < enabled.length; i++) {
        const t = enabled[i] as Transition;
        const e = this.exec(world, t);
        edges[i] = e;
        if (e.found !== null) continue;
        if (!independentOfOthers(this.program, world, enabled, t, e.r)) continue;
        e.sum = worldSumAfter(world, sum, e.r.world);
        if (this.onStack.has(keyString(searchKey(keyOfSum(e.sum), mask)))) continue;
        return { todo: [t], edges: [e] };
      }
    }
    return { todo: enabled, edges };
  }

  /**
   * Offer the untaken transitions of the stack's frames, from the bottom (the most work), as units to
   * `take` while it accepts them (returns true); a frame whose unit is taken keeps what it has done.
   * Each frame below the top was entered by its last taken transition, so the path extends by it.
   */
  private offer(take: (u: WorkUnit) => boolean): void {
    const path = [...this.base];
    for (const f of this.stack) {
      if (f.next < f.todo.length) {
        if (!take({ path: [...path], sum: f.sum, mask: f.mask, todo: f.todo.slice(f.next) })) return;
        f.todo = f.todo.slice(0, f.next);
      }
      path.push(f.todo[f.next - 1] as Transition);
    }
  }

  /** Give another thread the untaken transitions of the frame nearest the bottom. */
  private giveAway(): void {
    let given = false;
    this.offer((u) => !given && (given = this.share.give(u)));
  }

  /** The state a piece of work starts from: replayed along its path (its states are stored already). */
  private unitFrame(u: WorkUnit): Frame | null {
    this.base = u.path;
    if (u.todo === null) return this.visit(this.start, u.sum, u.mask, 0);
    let w = this.start;
    for (const t of u.path) w = applyTransition(this.program, this.policies, w, t).world;
    return {
      world: w,
      sum: u.sum,
      mask: u.mask,
      key: null,
      depth: u.path.length,
      todo: u.todo,
      edges: u.todo.map(() => undefined),
      next: 0,
    };
  }
}
