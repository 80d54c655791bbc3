import type { Invariant } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { Program } from '../model/engine/program.js';
import { applyTransition, enabledTransitions, quiescent, type Transition } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';
import { Deadline, type BoundName, type ResolvedBounds, type ShouldStop } from './bounds.js';
import type { Condition } from './condition.js';
import { evalProp } from './evaluate.js';
import { FingerprintTable } from './fingerprint-table.js';
import { stepViolations } from './invariants.js';
import { keyOfSum, worldSum, worldSumAfter, type WorldSum } from './state-key.js';
import type { Progress } from './explore.js';
import { PROGRESS_EVERY } from './search.js';

/**
 * The shortest-trace pass: a breadth-first search over the full reachable graph (no reduction: a
 * reduced graph keeps every final state but may only reach a violating step through a longer run),
 * level by level from the initial World, with parent pointers (node -> parent node and transition)
 * in growable typed arrays. The first time a goal is met is at the smallest number of steps, so each
 * path returned is a shortest one; ties are broken by the enabled-transition order, deterministically.
 *
 * The graph is the checker's: an `error` violation ends its path (the violating step can be a goal,
 * its successor is not expanded). Visited Worlds are stored by World key (flag masks change no path).
 *
 * Unlike the depth-first search, a level keeps its Worlds alive, so the memory bound counts them too,
 * at FRONTIER_WORLD_BYTES each: the pass stops (its traces missing, the verdicts untouched) before a
 * wide level exhausts the heap.
 */

/**
 * What a World in a BFS level keeps alive beyond what it shares with others: the World object and its
 * thirteen arrays, the elements its step copied, its enabled transitions. An estimate, on the high side.
 */
export const FRONTIER_WORLD_BYTES = 2048;

export type Goal =
  /** A final (quiescent) World where condition `condition`'s property is `satisfy`. */
  | { readonly kind: 'final'; readonly condition: number; readonly satisfy: boolean }
  /** A step violating invariant `invariant`; the path ends with that step. */
  | { readonly kind: 'invariant'; readonly invariant: number }
  /** A deadlocked World. */
  | { readonly kind: 'deadlock' };

export interface ShortestResult {
  /** Per goal: the transitions of a shortest path, or null when a bound stopped the pass first. */
  readonly paths: readonly (readonly Transition[] | null)[];
  /** How each found path ends. */
  readonly ends: readonly ('quiescent' | 'deadlock' | 'violation' | null)[];
  readonly bound: BoundName | null;
  readonly states: number;
}

class Nodes {
  parent = new Int32Array(1024);
  actor = new Int32Array(1024);
  choice = new Int32Array(1024);
  size = 0;
  push(parent: number, t: Transition | null): number {
    if (this.size === this.parent.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.parent = grow(this.parent);
      this.actor = grow(this.actor);
      this.choice = grow(this.choice);
    }
    const i = this.size++;
    this.parent[i] = parent;
    this.actor[i] = t ? t.actor : -1;
    this.choice[i] = t ? t.choice : -1;
    return i;
  }
  get bytes(): number {
    return this.parent.byteLength * 3;
  }
  path(node: number, last: Transition | null): Transition[] {
    const out: Transition[] = last ? [last] : [];
    for (let n = node; n > 0; n = this.parent[n] as number)
      out.push({ actor: this.actor[n] as number, choice: this.choice[n] as number });
    return out.reverse();
  }
}

export function shortestPaths(
  program: Program,
  policies: Policies,
  initial: World,
  conditions: readonly Condition[],
  invariants: readonly Invariant[],
  goals: readonly Goal[],
  bounds: ResolvedBounds,
  now?: () => number,
  shouldStop?: ShouldStop,
  progress: { readonly onProgress?: (p: Progress) => void; readonly every?: number } = {},
): ShortestResult {
  const every = progress.every ?? PROGRESS_EVERY;
  const paths: (Transition[] | null)[] = goals.map(() => null);
  const ends: ('quiescent' | 'deadlock' | 'violation' | null)[] = goals.map(() => null);
  let open = goals.length;
  const deadline = new Deadline(now, bounds.timeoutMs, shouldStop);
  const visited = new FingerprintTable(1 << 10, bounds.maxMemory);
  const nodes = new Nodes();
  let bound: BoundName | null = null;

  const found = (g: number, path: Transition[], end: 'quiescent' | 'deadlock' | 'violation'): void => {
    if (paths[g] !== null) return;
    paths[g] = path;
    ends[g] = end;
    open -= 1;
  };

  /** State goals of a World at `node`; returns its enabled transitions. */
  const atState = (world: World, node: number): Transition[] => {
    const enabled = enabledTransitions(program, policies, world);
    if (enabled.length > 0) return enabled;
    if (!quiescent(program, world, policies)) {
      goals.forEach((g, i) => {
        if (g.kind === 'deadlock') found(i, nodes.path(node, null), 'deadlock');
      });
      return enabled;
    }
    goals.forEach((g, i) => {
      if (paths[i] !== null) return;
      if (g.kind !== 'final') return;
      const c = conditions[g.condition];
      if (c && evalProp(world, c.prop) === g.satisfy) found(i, nodes.path(node, null), 'quiescent');
    });
    return enabled;
  };

  const root = nodes.push(-1, null);
  const rootSum = worldSum(initial);
  const rk = keyOfSum(rootSum);
  visited.add(rk.hi, rk.lo);
  let frontier: { node: number; world: World; sum: WorldSum; enabled: Transition[] }[] = [
    { node: root, world: initial, sum: rootSum, enabled: atState(initial, root) },
  ];
  let transitions = 0;
  for (let depth = 0; open > 0 && frontier.length > 0 && bound === null; depth++) {
    if (depth >= bounds.maxDepth) {
      bound = 'depth';
      break;
    }
    const next: typeof frontier = [];
    for (const { node, world, sum, enabled } of frontier) {
      for (const t of enabled) {
        const r = applyTransition(program, policies, world, t);
        transitions += 1;
        if ((transitions & 255) === 0) bound = deadline.reason();
        let dead = false;
        for (const { at } of stepViolations(invariants, program, policies, r) ?? []) {
          if (invariants[at]?.severity === 'error') dead = true;
          goals.forEach((g, i) => {
            if (g.kind === 'invariant' && g.invariant === at && paths[i] === null)
              found(i, nodes.path(node, t), 'violation');
          });
        }
        if (open === 0 || bound !== null) break;
        if (dead) continue;
        const childSum = worldSumAfter(world, sum, r.world);
        const k = keyOfSum(childSum);
        if (visited.has(k.hi, k.lo)) continue;
        if (visited.size >= bounds.maxStates) {
          bound = 'states';
          break;
        }
        const levels = (frontier.length + next.length + 1) * FRONTIER_WORLD_BYTES;
        if (visited.add(k.hi, k.lo) === -1 || visited.bytes + nodes.bytes + levels > bounds.maxMemory) {
          bound = 'memory';
          break;
        }
        if (progress.onProgress && visited.size % every === 0)
          progress.onProgress({
            states: visited.size,
            transitions,
            maxDepth: depth + 1,
            tableBytes: visited.bytes + nodes.bytes,
            phase: 'traces',
          });
        const child = nodes.push(node, t);
        next.push({ node: child, world: r.world, sum: childSum, enabled: atState(r.world, child) });
        if (open === 0) break;
      }
      if (open === 0 || bound !== null) break;
    }
    frontier = next;
  }
  return { paths, ends, bound: open > 0 ? bound : null, states: visited.size };
}
