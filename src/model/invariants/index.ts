import { counterMismatch } from './counter-mismatch.js';
import { dirtyWithoutFs } from './dirty-without-fs.js';
import { leakAcrossFork } from './leak-across-fork.js';
import { leakAtExit } from './leak-at-exit.js';
import { lostDioData } from './lost-dio-data.js';
import { lostWrite } from './lost-write.js';
import { stablePageViolation } from './stable-page-violation.js';
import type { Found, Invariant, InvariantInput } from './types.js';
import { useAfterFree } from './use-after-free.js';

export type { Found, Invariant, InvariantInput, Violation } from './types.js';

/**
 * Every invariant by its name, in the order checks judge and report them: the one table
 * the checker, the scenario language and the checker's worker threads pick invariants from.
 */
export const INVARIANT_TABLE = {
  'lost-dio-data': lostDioData,
  'leak-across-fork': leakAcrossFork,
  'use-after-free': useAfterFree,
  'stable-page-violation': stablePageViolation,
  'dirty-without-fs': dirtyWithoutFs,
  'lost-write': lostWrite,
  'counter-mismatch': counterMismatch,
  'leak-at-exit': leakAtExit,
} as const;

export type InvariantName = keyof typeof INVARIANT_TABLE;

function isInvariantName(name: string): name is InvariantName {
  return Object.hasOwn(INVARIANT_TABLE, name);
}

/** The table's names, in its order. */
export const INVARIANT_NAMES: readonly InvariantName[] = Object.keys(INVARIANT_TABLE).filter(isInvariantName);

/** Every invariant, checked after every step unless a check is told otherwise. */
export const INVARIANTS: readonly Invariant[] = Object.values(INVARIANT_TABLE);

/**
 * The table names of `list`, for a worker thread to pick the same invariants from the table (functions
 * do not cross to a worker); null when one of them is not the table's own.
 */
export function invariantNames(list: readonly Invariant[]): InvariantName[] | null {
  const names: InvariantName[] = [];
  for (const inv of list) {
    const name = INVARIANT_NAMES.find((n) => INVARIANT_TABLE[n] === inv);
    if (name === undefined) return null;
    names.push(name);
  }
  return names;
}

/**
 * Every violation `invariants` find in one step, in their order and each invariant's own: null when
 * there is none, so a clean step (the common case) allocates nothing here.
 */
export function judgeStep(invariants: readonly Invariant[], input: InvariantInput): Found[] | null {
  let found: Found[] | null = null;
  let at = 0;
  for (const inv of invariants) {
    for (const violation of inv.check(input)) (found ??= []).push({ at, violation });
    at += 1;
  }
  return found;
}
