import type { Verdict } from './condition.js';

export type { Verdict } from './condition.js';

/**
 * The verdict words, as herd7 uses them, computed from what a search saw. `complete` is false when a
 * bound stopped or truncated the search: then only what was seen for certain is reported (a state
 * that satisfies and one that violates make `sometimes` whatever lies beyond), anything else is
 * `inconclusive`.
 */

/** A condition over the final (quiescent) states: how many distinct final states satisfy its property. */
export function conditionVerdict(satisfy: number, violate: number, complete: boolean): Verdict {
  if (satisfy > 0 && violate > 0) return 'sometimes';
  if (!complete) return 'inconclusive';
  if (satisfy === 0) return 'never';
  return 'always';
}

/**
 * An invariant: `never` when no explored step (or quiescent state) violates it; `always` when one does
 * and no maximal path (one that ends in a final or deadlocked state) is free of violations of it;
 * `sometimes` when both a violation and a clean maximal path exist.
 */
export function invariantVerdict(violated: boolean, cleanTerminals: number, complete: boolean): Verdict {
  if (violated && cleanTerminals > 0) return 'sometimes';
  if (!complete) return 'inconclusive';
  if (!violated) return 'never';
  return 'always';
}

/** Deadlock (no step enabled, yet not quiescent): `always` when every terminal state is one. */
export function deadlockVerdict(deadlocks: number, finals: number, complete: boolean): Verdict {
  if (deadlocks > 0 && finals > 0) return 'sometimes';
  if (!complete) return 'inconclusive';
  if (deadlocks === 0) return 'never';
  return 'always';
}

/** Whether a herd7 quantifier holds: `exists` some final state satisfies; `forall` all do. */
export function quantifierHolds(
  quantifier: 'exists' | 'forall',
  satisfy: number,
  violate: number,
  complete: boolean,
): boolean | null {
  if (quantifier === 'exists') return satisfy > 0 ? true : complete ? false : null;
  return violate > 0 ? false : complete ? true : null;
}
