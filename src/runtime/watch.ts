import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { BoundName, ShouldStop } from '../check/bounds.js';

/**
 * What a search is told to stop on from outside the checker (its ShouldStop, check/bounds.ts): the
 * process's memory past `--max-memory`, this thread's JavaScript heap near its limit (past it V8
 * aborts the process), and a Ctrl-C. The checker never reads these itself: it stays deterministic
 * and free of I/O, and a search this stops ends `inconclusive` like one the time bound stops.
 */

/** What a watch needs, as plain data that crosses to a worker thread. */
export interface WatchData {
  /** Bytes of resident memory (RSS) the whole process may use. */
  readonly maxMemory: number;
  /** Word 0 becomes 1 when the user interrupts the run (SIGINT), or null: nobody listens. */
  readonly interrupt: Int32Array | null;
}

/** A watch of the heap's limit alone: no memory bound of the caller's, no Ctrl-C. */
export const HEAP_ONLY: WatchData = { maxMemory: Number.POSITIVE_INFINITY, interrupt: null };

/** A reading of the memory a watch compares with its bounds. */
export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapLimit: number;
}

/** The heap's share past which a search stops: V8 needs room to collect, and aborts when it has none. */
export const HEAP_SHARE = 0.85;

/** Half of the machine's memory, or of the cgroup's limit when that is smaller. */
export function defaultMaxMemory(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const machine = totalmem();
  return Math.floor((constrained > 0 && constrained < machine ? constrained : machine) / 2);
}

export function readMemory(): MemoryReading {
  const h = getHeapStatistics();
  return { rss: process.memoryUsage.rss(), heapUsed: h.used_heap_size, heapLimit: h.heap_size_limit };
}

/** Whether a reading passes the memory bound (or the heap's own limit). */
export function memoryOver(m: MemoryReading, maxMemory: number): boolean {
  return m.rss > maxMemory || m.heapUsed > m.heapLimit * HEAP_SHARE;
}

/** Whether the user interrupted the run. */
export function interrupted(d: WatchData): boolean {
  return d.interrupt !== null && Atomics.load(d.interrupt, 0) !== 0;
}

/** The ShouldStop of a search watched by `d`: `interrupt` first, then `memory`. */
export function watch(d: WatchData, read: () => MemoryReading = readMemory): ShouldStop {
  return (): BoundName | null => {
    if (interrupted(d)) return 'interrupt';
    return memoryOver(read(), d.maxMemory) ? 'memory' : null;
  };
}
