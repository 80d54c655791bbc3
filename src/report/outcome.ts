import type { PlannedTest, Row } from '../suite/run.js';

/**
 * One counting rule for every format (text, KTAP, JUnit): a row is a failure when it does not match
 * its expectation, a skip when the release cannot run the scenario (and nothing expected otherwise),
 * and a pass in every other case, a verdict with no expectation stated included (nothing failed).
 */
export type Outcome = 'pass' | 'fail' | 'skip';

export function outcome(r: Row): Outcome {
  if (r.ok === false) return 'fail';
  return r.verdict === 'unavailable' ? 'skip' : 'pass';
}

export interface Tally {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
}

export function tally(rows: readonly Row[]): Tally {
  const t = { pass: 0, fail: 0, skip: 0 };
  for (const r of rows) t[outcome(r)] += 1;
  return t;
}

/** Rows grouped by a key, in the order each key first appears. */
export function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const r of rows) {
    const g = groups.get(key(r));
    if (g) g.push(r);
    else groups.set(key(r), [r]);
  }
  return groups;
}

/** A row's test name within its scenario and release: an invariant in brackets, as the text table. */
/**
 * A run a Ctrl-C stopped: how much of it ran (`N of M (scenario, release) searches run; ...`), and the
 * tests of the searches it left out, which every format reports as skipped.
 */
export interface PartialRun {
  readonly note: string;
  readonly notRun: readonly PlannedTest[];
}

export function testName(r: Pick<Row, 'kind' | 'condition'>): string {
  return r.kind === 'invariant' ? `[${r.condition}]` : r.condition;
}

/** What a row found, in one line: the verdict, what was expected, why, and the search's size. */
export function summary(r: Row): string {
  const verdict = r.verdict === 'unavailable' ? 'n/a' : r.verdict;
  // An invariant with no stated expectation is judged against `never`, as is a condition that judges nothing.
  const judged = r.expected ?? (r.ok === false ? 'never' : null);
  const expected = judged === null ? '' : `, expected ${judged}`;
  const why = r.reason ? ` (${r.reason})` : r.bound ? ` (bound reached: ${r.bound})` : '';
  return `${verdict}${expected}${why}; ${r.states} states, ${r.transitions} transitions`;
}
