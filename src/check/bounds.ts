/**
 * The bounds that stop a search before it exhausts memory or patience. A search stopped by one ends
 * in `inconclusive` verdicts with its figures; it never crashes for size.
 */

/** Which bound stopped (or truncated) the search; `interrupt`: the user stopped it (Ctrl-C). */
export type BoundName = 'states' | 'depth' | 'time' | 'memory' | 'interrupt';

/**
 * Asked by a search every few hundred transitions (and once before it starts) whether to stop now,
 * and on which bound: how the caller watches what the checker must not read itself (the process's
 * memory, a Ctrl-C; runtime/watch.ts). The checker stays free of I/O: where a search stops on such a
 * bound depends on the machine, as with the time bound, and its verdicts say `inconclusive`.
 */
export type ShouldStop = () => BoundName | null;

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

/** A stopwatch over the injected clock (without a clock it never expires), and the caller's ShouldStop. */
export class Deadline {
  private readonly start: number;
  constructor(
    private readonly now: (() => number) | undefined,
    private readonly timeoutMs: number,
    private readonly shouldStop: ShouldStop = () => null,
  ) {
    this.start = now ? now() : 0;
  }

  expired(): boolean {
    if (!this.now || this.timeoutMs === Number.POSITIVE_INFINITY) return false;
    return this.now() - this.start >= this.timeoutMs;
  }

  /** The bound to stop on now: the time bound, or what the caller says; null to go on. */
  reason(): BoundName | null {
    return this.expired() ? 'time' : this.shouldStop();
  }
}
