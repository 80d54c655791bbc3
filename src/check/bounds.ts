/**
 * The bounds that stop a search before it exhausts memory or patience. A search stopped by one ends
 * in `inconclusive` verdicts with its figures; it never crashes for size.
 */

/** Which bound stopped (or truncated) the search. */
export type BoundName = 'states' | 'depth' | 'time' | 'memory';

export interface Bounds {
  /** Stop after storing this many search states. Default: no limit but memory. */
  readonly maxStates?: number;
  /** Do not expand states this many steps from the start (the search goes on elsewhere). Default 10 000. */
  readonly maxDepth?: number;
  /** Stop after this many milliseconds of the injected clock; no time bound without `now`. */
  readonly timeoutMs?: number;
  /** Approximate byte limit for the fingerprint tables. Default 1 GiB. */
  readonly maxMemory?: number;
}

export interface ResolvedBounds {
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly timeoutMs: number;
  readonly maxMemory: number;
}

export const DEFAULT_MAX_DEPTH = 10_000;
export const DEFAULT_MAX_MEMORY = 2 ** 30;

export function resolveBounds(b: Bounds, hasClock: boolean): ResolvedBounds {
  return {
    maxStates: b.maxStates ?? Number.POSITIVE_INFINITY,
    maxDepth: b.maxDepth ?? DEFAULT_MAX_DEPTH,
    timeoutMs: hasClock ? (b.timeoutMs ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY,
    maxMemory: b.maxMemory ?? DEFAULT_MAX_MEMORY,
  };
}

/** A stopwatch over the injected clock; without a clock it never expires. */
export class Deadline {
  private readonly start: number;
  constructor(
    private readonly now: (() => number) | undefined,
    private readonly timeoutMs: number,
  ) {
    this.start = now ? now() : 0;
  }

  expired(): boolean {
    if (!this.now || this.timeoutMs === Number.POSITIVE_INFINITY) return false;
    return this.now() - this.start >= this.timeoutMs;
  }
}
