import type { Found, Invariant, Violation } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { Program } from '../model/engine/program.js';
import {
  applyTransition,
  enabledTransitions,
  quiescent,
  type StepResult,
  type Transition,
} from '../model/engine/step.js';
import { sealWorld } from '../model/core/cow.js';
import type { World } from '../model/core/world.js';
import { Deadline, type BoundName, type ResolvedBounds } from './bounds.js';
import type { Condition } from './condition.js';
import { evalProp } from './evaluate.js';
import { FailureCounter, observedReads, OutcomeCounter } from './outcomes.js';
import type { ExploreOptions, ExploreStats, Search, SearchTables } from './explore.js';
import type { AddResult, StateSet } from './fingerprint-table.js';
import { stepViolations } from './invariants.js';
import { independentOfOthers } from './por.js';
import { ALONE, type WorkShare, type WorkUnit } from './share.js';
import { keyOfSum, keyString, searchKey, worldSumAfter, type StateKey, type WorldSum } from './state-key.js';

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

/** Stored states between two progress reports, unless told otherwise. */
export const PROGRESS_EVERY = 1 << 20;

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
function flagBits(invariants: readonly Invariant[]): number[] {
  let next = 0;
  return invariants.map((inv) => {
    if (inv.severity !== 'flag') return 0;
    if (next >= 30) throw new RangeError('pinlab check: at most 30 flag-severity invariants');
    return 1 << next++;
  });
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
  private readonly outcomes: OutcomeCounter;
  private readonly failures: FailureCounter;
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
    this.deadline = new Deadline(opts.now, opts.bounds.timeoutMs, opts.shouldStop);
    this.progressEvery = Math.max(1, Math.floor(opts.progressEvery ?? PROGRESS_EVERY));
    this.satisfy = conditions.map(() => 0);
    this.violate = conditions.map(() => 0);
    this.violated = invariants.map(() => false);
    this.firstViolation = invariants.map(() => null);
    this.outcomes = new OutcomeCounter(observedReads(conditions));
    this.failures = new FailureCounter(program.actors.length);
    this.start = sealWorld(initial);
    this.nextPoll = share.every;
  }

  run(unit: WorkUnit): void {
    const why = this.stopped === null ? this.deadline.reason() : null;
    if (why !== null) this.stop(why);
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
      outcomes: this.outcomes.result(),
      failures: this.failures.result(),
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

  /** The time bound and the caller's, and the work share's turn every `share.every` transitions; false: stop now. */
  private tick(): boolean {
    const why = (this.transitions & 255) === 0 ? this.deadline.reason() : null;
    if (why !== null) {
      this.stop(why);
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
    this.failures.add(r.label);
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
      if (added === 1) this.outcomes.add(world);
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
