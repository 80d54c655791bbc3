import type { Verdict } from '../check/condition.js';
import type { Row } from '../suite/run.js';

/**
 * A row's status across the releases checked (its cells oldest first; undefined where no row was
 * made, which for an invariant means it never fired there): a verdict that differs from the
 * expectation (`mismatch`), a bad outcome still there on the newest release that ran it (`open`), or
 * one on an older release that the newest no longer shows (`fixed`). An `exists` condition states the
 * bad outcome (as the library's do), so `sometimes` and `always` are bad and `never` is safe; a
 * `forall` condition states the good one, so `sometimes` and `never` are bad and `always` is safe; an
 * invariant is bad when violated. Anything else (nothing reached on the newest release, inconclusive)
 * gives no status.
 */
export type Status = 'mismatch' | 'open' | 'fixed' | '';

const SAFE = { exists: 'never', forall: 'always' } as const;

const safeVerdict = (r: Row): Verdict => SAFE[r.quantifier ?? 'exists'];

const bad = (r: Row | undefined): boolean =>
  r !== undefined &&
  (r.verdict === 'sometimes' || r.verdict === 'always' || r.verdict === 'never') &&
  r.verdict !== safeVerdict(r);

export function statusOf(cells: readonly (Row | undefined)[]): Status {
  if (cells.some((r) => r?.ok === false)) return 'mismatch';
  // The newest release that ran the scenario; a missing invariant row there is `never`.
  const ran = cells.filter((r) => r === undefined || r.verdict !== 'unavailable');
  const newest = ran.at(-1);
  if (ran.length === 0) return '';
  if (bad(newest)) return 'open';
  const safe = newest === undefined || (newest.verdict === safeVerdict(newest) && newest.reason === null);
  return safe && ran.some(bad) ? 'fixed' : '';
}
