import type { World } from '../model/core/world.js';
import type { Transition } from '../model/engine/step.js';
import type { BoundName } from './bounds.js';
import { worldSum, type WorldSum } from './state-key.js';

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

/** The piece of work that starts a search: the initial state. */
export function rootUnit(initial: World): WorkUnit {
  return { path: [], sum: worldSum(initial), mask: 0, todo: null };
}
