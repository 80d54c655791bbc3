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
import { FingerprintTable, type AddResult } from './fingerprint-table.js';
import { quiescentViolations, stepViolations, type Invariant, type ViolationDetail } from './invariants.js';
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
 * After every step each invariant's `onStep` judges it; an `error` violation ends that path (its
 * successor is not visited), a `flag` violation sets the invariant's bit in the successor's mask.
 * `atQuiescence` judges each final World.
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
  readonly firstDetail: ViolationDetail | null;
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
  readonly viol: readonly (ViolationDetail | null)[];
  sum?: WorldSum;
}

interface Frame {
  readonly world: World;
  readonly sum: WorldSum;
  readonly mask: number;
  /** The state's key as a string, kept only with the reduction (for its stack proviso). */
  readonly key: string | null;
  readonly depth: number;
  readonly todo: readonly Transition[];
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

/** A first table size within the memory bound (8 bytes a slot), at most 4096 slots. */
function initialSlots(maxMemory: number): number {
  let slots = 16;
  while (slots < 4096 && slots * 16 <= maxMemory) slots *= 2;
  return slots;
}

export function explore(
  program: Program,
  policies: Policies,
  initial: World,
  conditions: readonly Condition[],
  opts: ExploreOptions,
): ExploreStats {
  const { invariants, bounds } = opts;
  const por = opts.por && invariants.every((inv) => (inv.scope ?? 'step') === 'step');
  const bits = flagBits(invariants);
  const deadline = new Deadline(opts.now, bounds.timeoutMs);
  const { onProgress } = opts;
  const progressEvery = Math.max(1, Math.floor(opts.progressEvery ?? PROGRESS_EVERY));

  const visited = new FingerprintTable(initialSlots(bounds.maxMemory), bounds.maxMemory);
  const finals = new FingerprintTable(64, bounds.maxMemory);
  const deadlocked = new FingerprintTable(64, bounds.maxMemory);
  const clean = invariants.map(() => new FingerprintTable(64, bounds.maxMemory));
  const dirty = invariants.map(() => new FingerprintTable(64, bounds.maxMemory));
  const satisfy = conditions.map(() => 0);
  const violate = conditions.map(() => 0);
  const violated = invariants.map(() => false);
  const firstDetail: (ViolationDetail | null)[] = invariants.map(() => null);
  const onStack = new Set<string>();

  let transitions = 0;
  let maxDepth = 0;
  let stopped: BoundName | null = null;
  let truncated: BoundName | null = null;

  const note = (r: AddResult): void => {
    if (r === -1) stopped = 'memory';
  };

  const exec = (w: World, t: Transition): Edge => {
    const r = applyTransition(program, policies, w, t);
    return { r, viol: stepViolations(invariants, r.events, w, r.world, r.label, program) };
  };

  const terminal = (world: World, wk: StateKey, mask: number): void => {
    const isFinal = quiescent(program, world, policies);
    if (isFinal) {
      const added = finals.add(wk.hi, wk.lo);
      note(added);
      if (added === 1)
        conditions.forEach((c, i) => {
          if (evalProp(world, c.prop)) satisfy[i] = (satisfy[i] ?? 0) + 1;
          else violate[i] = (violate[i] ?? 0) + 1;
        });
    } else note(deadlocked.add(wk.hi, wk.lo));
    const qv = isFinal ? quiescentViolations(invariants, world, program) : invariants.map(() => null);
    invariants.forEach((_, i) => {
      const d = qv[i] ?? null;
      if (d !== null) {
        violated[i] = true;
        firstDetail[i] ??= d;
      }
      const bad = (mask & (bits[i] ?? 0)) !== 0 || d !== null;
      if (!bad) note((clean[i] as FingerprintTable).add(wk.hi, wk.lo));
      else if (isFinal) note((dirty[i] as FingerprintTable).add(wk.hi, wk.lo));
    });
  };

  const choose = (
    world: World,
    sum: WorldSum,
    mask: number,
    enabled: Transition[],
  ): Pick<Frame, 'todo' | 'edges'> => {
    const edges: (Edge | undefined)[] = enabled.map(() => undefined);
    if (por && enabled.length > 1) {
      for (let i = 0; i < enabled.length; i++) {
        const t = enabled[i] as Transition;
        const e = exec(world, t);
        edges[i] = e;
        if (e.viol.some((v) => v !== null)) continue;
        if (!independentOfOthers(program, world, enabled, t, e.r)) continue;
        e.sum = worldSumAfter(world, sum, e.r.world);
        if (onStack.has(keyString(searchKey(keyOfSum(e.sum), mask)))) continue;
        return { todo: [t], edges: [e] };
      }
    }
    return { todo: enabled, edges };
  };

  const visit = (world: World, sum: WorldSum, mask: number, depth: number): Frame | null => {
    const wk = keyOfSum(sum);
    const k = searchKey(wk, mask);
    if (visited.has(k.hi, k.lo)) return null;
    if (visited.size >= bounds.maxStates) {
      stopped = 'states';
      return null;
    }
    const added = visited.add(k.hi, k.lo);
    if (added === -1) {
      stopped = 'memory';
      return null;
    }
    if (depth > maxDepth) maxDepth = depth;
    if (onProgress !== undefined && visited.size % progressEvery === 0)
      onProgress({ states: visited.size, transitions, maxDepth, tableBytes: visited.bytes });
    const enabled = enabledTransitions(program, policies, world);
    if (enabled.length === 0) {
      terminal(world, wk, mask);
      return null;
    }
    if (depth >= bounds.maxDepth) {
      truncated = 'depth';
      return null;
    }
    const { todo, edges } = choose(world, sum, mask, enabled);
    return { world, sum, mask, key: por ? keyString(k) : null, depth, todo, edges, next: 0 };
  };

  const stack: Frame[] = [];
  if (deadline.expired()) stopped = 'time';
  const root = stopped === null ? visit(sealWorld(initial), worldSum(initial), 0, 0) : null;
  if (root) {
    stack.push(root);
    if (root.key !== null) onStack.add(root.key);
  }
  while (stack.length > 0 && stopped === null) {
    const f = stack[stack.length - 1] as Frame;
    if (f.next >= f.todo.length) {
      stack.pop();
      if (f.key !== null) onStack.delete(f.key);
      continue;
    }
    const i = f.next++;
    const t = f.todo[i] as Transition;
    const e = f.edges[i] ?? exec(f.world, t);
    f.edges[i] = undefined; // let the successor World go once explored
    transitions += 1;
    if ((transitions & 255) === 0 && deadline.expired()) {
      stopped = 'time';
      break;
    }
    let mask = f.mask;
    let dead = false;
    e.viol.forEach((d, j) => {
      if (d === null) return;
      violated[j] = true;
      firstDetail[j] ??= d;
      if (invariants[j]?.severity === 'error') dead = true;
      else mask |= bits[j] ?? 0;
    });
    if (dead) continue;
    const child = visit(e.r.world, e.sum ?? worldSumAfter(f.world, f.sum, e.r.world), mask, f.depth + 1);
    if (child) {
      stack.push(child);
      if (child.key !== null) onStack.add(child.key);
    }
  }

  return {
    states: visited.size,
    transitions,
    maxDepth,
    bound: stopped ?? truncated,
    finals: finals.size,
    deadlocks: deadlocked.size,
    conditions: conditions.map((_, i) => ({ satisfy: satisfy[i] ?? 0, violate: violate[i] ?? 0 })),
    invariants: invariants.map((_, i) => ({
      violated: violated[i] ?? false,
      cleanTerminals: clean[i]?.size ?? 0,
      violatingFinals: dirty[i]?.size ?? 0,
      firstDetail: firstDetail[i] ?? null,
    })),
    por,
    tableBytes: [visited, finals, deadlocked, ...clean, ...dirty].reduce((n, t) => n + t.bytes, 0),
  };
}
