import { counterMismatch } from './counter-mismatch.js';
import { dirtyWithoutFs } from './dirty-without-fs.js';
import { leakAcrossFork } from './leak-across-fork.js';
import { leakAtExit } from './leak-at-exit.js';
import { lostDioData } from './lost-dio-data.js';
import { lostWrite } from './lost-write.js';
import { stablePageViolation } from './stable-page-violation.js';
import type { Invariant, InvariantInput, Violation } from './types.js';
import { useAfterFree } from './use-after-free.js';

export type { Invariant, InvariantInput, Violation } from './types.js';

/** Every invariant, checked after every step. */
export const INVARIANTS: readonly Invariant[] = [
  lostDioData,
  leakAcrossFork,
  useAfterFree,
  stablePageViolation,
  dirtyWithoutFs,
  lostWrite,
  counterMismatch,
  leakAtExit,
];

/** Run every invariant on one step's outcome. */
export function checkInvariants(input: InvariantInput): Violation[] {
  return INVARIANTS.flatMap((inv) => inv.check(input));
}
