import type { Row } from '../suite/run.js';

/**
 * A row's status across the releases checked (its cells oldest first; undefined where no row was
 * made, which for an invariant means it never fired there): a verdict that differs from the
 * expectation (`mismatch`), a bad outcome still there on the newest release that ran it (`open`), or
 * one on an older release that the newest no longer shows (`fixed`). The library's conditions state
 * the bad outcome, so `sometimes` and `always` are bad and `never` is safe; anything else (nothing
 * reached on the newest release, inconclusive) gives no status.
 */
export type Status = 'mismatch' | 'open' | 'fixed' | '';

const bad = (r: Row | undefined): boolean => r?.verdict === 'sometimes' || r?.verdict === 'always';

export function statusOf(cells: readonly (Row | undefined)[]): Status {
  if (cells.some((r) => r?.ok === false)) return 'mismatch';
  // The newest release that ran the scenario; a missing invariant row there is `never`.
  const ran = cells.filter((r) => r === undefined || r.verdict !== 'unavailable');
  const newest = ran.at(-1);
  if (ran.length === 0) return '';
  if (bad(newest)) return 'open';
  const safe = newest === undefined || (newest.verdict === 'never' && newest.reason === null);
  return safe && ran.some(bad) ? 'fixed' : '';
}
