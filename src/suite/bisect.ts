/**
 * The two searches behind `pinlab bisect` and `pinlab prevent`, over an abstract test function so they
 * can be checked on fake verdicts: delta debugging (which changes flip an outcome) and the smallest sets
 * of what-if values that reach one. Pure: no I/O, no clock; the same test answers give the same result.
 */

/** One what-if: a policy given one value. */
export interface Change {
  readonly policy: string;
  readonly value: string;
}

/** What applying a subset of the changes did to the outcome under study. */
export type Outcome = 'flipped' | 'kept' | 'unresolved';

/**
 * Zeller's ddmin: a 1-minimal subset of `all` whose application flips the outcome (removing any one of
 * its elements no longer flips it), or null when applying all of them does not flip it. `unresolved`
 * answers (an inconsistent combination, a third verdict) count as not flipped, as in ddmin. Each
 * subset is tested at most once.
 */
export function ddmin<T>(all: readonly T[], test: (subset: readonly T[]) => Outcome): T[] | null {
  const seen = new Map<string, Outcome>();
  const flips = (indices: readonly number[]): boolean => {
    const key = indices.join(',');
    let o = seen.get(key);
    if (o === undefined) {
      o = test(indices.map((i) => all[i] as T));
      seen.set(key, o);
    }
    return o === 'flipped';
  };
  const everything = all.map((_, i) => i);
  if (!flips(everything)) return null;
  let current = everything;
  let n = 2;
  while (current.length >= 2) {
    const parts = split(current, n);
    const part = parts.find((p) => flips(p));
    if (part !== undefined) {
      current = part;
      n = 2;
      continue;
    }
    const complement = parts.map((p) => current.filter((i) => !p.includes(i))).find((c) => flips(c));
    if (complement !== undefined) {
      current = complement;
      n = Math.max(n - 1, 2);
      continue;
    }
    if (n >= current.length) break;
    n = Math.min(n * 2, current.length);
  }
  return current.map((i) => all[i] as T);
}

/** `items` in `n` nearly equal consecutive parts. */
function split(items: readonly number[], n: number): number[][] {
  const out: number[][] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const end = start + Math.floor((items.length - start) / (n - k));
    out.push(items.slice(start, end));
    start = end;
  }
  return out.filter((p) => p.length > 0);
}

/** One test of a set of changes: whether it reaches the goal, and which policies the run read. */
export interface Probe {
  readonly hit: boolean;
  readonly reads: ReadonlySet<string>;
}

export interface SetSearch {
  /** Every set of at most maxSize changes that reaches the goal and has no smaller subset that does. */
  readonly sets: Change[][];
  /** Sets run, and sets decided without a run (supersets of a found set, or equal to a smaller one). */
  readonly tested: number;
  readonly skipped: number;
}

/**
 * The smallest sets of changes (at most one value per policy, at most `maxSize` of them) under which
 * `test` hits, smallest first. A set S is never run when some change c in S sets a policy the run of
 * S without c did not read: the model then takes exactly the same steps under S, so S gives that
 * smaller set's answer (a miss, or S would be a superset of a found set). The empty set is run first.
 */
export function smallestSets(
  candidates: readonly Change[],
  maxSize: number,
  test: (set: readonly Change[]) => Probe,
): SetSearch {
  const reads = new Map<string, ReadonlySet<string>>();
  const found: number[][] = [];
  let tested = 0;
  let skipped = 0;
  const base = test([]);
  tested += 1;
  if (base.hit) return { sets: [[]], tested, skipped };
  reads.set('', base.reads);
  for (let size = 1; size <= maxSize; size++)
    for (const set of combinations(candidates.length, size)) {
      const changes = set.map((i) => candidates[i] as Change);
      if (new Set(changes.map((c) => c.policy)).size < size) continue;
      if (found.some((f) => f.every((i) => set.includes(i)))) {
        skipped += 1;
        continue;
      }
      const same = sameAsSmaller(set, changes, reads);
      if (same !== null) {
        reads.set(set.join(','), same);
        skipped += 1;
        continue;
      }
      const probe = test(changes);
      tested += 1;
      reads.set(set.join(','), probe.reads);
      if (probe.hit) found.push(set);
    }
  return { sets: found.map((f) => f.map((i) => candidates[i] as Change)), tested, skipped };
}

/** The reads of a one-smaller subset whose run never read the policy the left-out change sets, or null. */
function sameAsSmaller(
  set: readonly number[],
  changes: readonly Change[],
  reads: ReadonlyMap<string, ReadonlySet<string>>,
): ReadonlySet<string> | null {
  for (let k = 0; k < set.length; k++) {
    const smaller = reads.get(set.filter((_, j) => j !== k).join(','));
    if (smaller !== undefined && !smaller.has((changes[k] as Change).policy)) return smaller;
  }
  return null;
}

/** Every increasing index tuple of `size` out of `n`, in lexicographic order. */
function* combinations(n: number, size: number): Generator<number[]> {
  const idx = Array.from({ length: size }, (_, i) => i);
  while (size <= n) {
    yield [...idx];
    let k = size - 1;
    while (k >= 0 && idx[k] === n - size + k) k -= 1;
    if (k < 0) return;
    idx[k] = (idx[k] as number) + 1;
    for (let j = k + 1; j < size; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
}
