import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { receiveUntil } from '../runtime/worker-messages.js';
import { startWorkers } from '../runtime/workers.js';
import type { Progress } from '../check/index.js';
import type { Row, SuiteOptions } from '../suite/run.js';

/**
 * `pinlab check --jobs N`: the suite shared out to N worker threads, each checking (scenario, kernel)
 * pairs as it claims them from a shared counter (one scenario can take most of the time, so whole
 * scenarios would balance badly). The command stays synchronous:
 * the main thread sleeps on a shared word (Atomics.wait) and takes the results off each worker's port
 * with receiveMessageOnPort. Rows come back in the suite's order (scenario, then kernel) whatever
 * finished first, so the report is the one `--jobs 1` prints (timings aside).
 */

/** What a worker needs to rebuild the job the main thread parsed: the same files and kernel arguments. */
export interface SuiteWork {
  readonly files: readonly string[];
  readonly kernels: readonly string[];
  readonly sets: readonly string[];
  /** The suite's options but its functions (which do not cross to a worker; each takes its own clock). */
  readonly bounds: Omit<SuiteOptions, 'now' | 'onProgress' | 'progressEvery' | 'explorer' | 'shouldStop'>;
}

export interface WorkerData {
  readonly work: SuiteWork;
  /** [0]: the next (scenario, kernel) pair to claim, numbered scenario-major; [1]: results posted so far. */
  readonly shared: SharedArrayBuffer;
  readonly port: MessagePort;
  /** The run's Ctrl-C word (runtime/watch.ts), or null. */
  readonly interrupt: Int32Array | null;
  /** Post the search's progress every this many stored states, or null: nobody shows it. */
  readonly progressEvery: number | null;
}

/** A worker's progress: which pair, how far, and the seconds its search has run (its own clock). */
export interface ProgressMessage {
  readonly index: number;
  readonly progress: Progress;
  readonly seconds: number;
}

/** One (scenario, kernel) pair's rows, or the error that stopped its worker. */
export type WorkerMessage =
  { readonly index: number; readonly rows: Row[] } | { readonly error: string } | ProgressMessage;

const WORKER = new URL('./suite-worker.js', import.meta.url);

/** Whether the compiled worker is there (it is not when the CLI runs from its TypeScript sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/** How the calling thread hears of the workers' searches: every `every` states, and at each wake. */
export interface WorkersProgress {
  readonly every: number;
  readonly update: (m: ProgressMessage) => void;
}

/**
 * The rows of the `count` (scenario, kernel) pairs of `work`, checked by `jobs` workers, in order;
 * each worker's progress goes to `progress` as it comes (the calling thread prints it).
 */
export function runInWorkers(
  work: SuiteWork,
  count: number,
  jobs: number,
  interrupt: Int32Array | null,
  progress: WorkersProgress | null = null,
): Row[] | string {
  const shared = new SharedArrayBuffer(8);
  const posted = new Int32Array(shared, 4, 1);
  const workers = startWorkers(
    WORKER,
    'worker',
    Math.min(jobs, count),
    (_, port): WorkerData => ({ work, shared, port, interrupt, progressEvery: progress?.every ?? null }),
    posted,
  );
  const byPair: Row[][] = [];
  let received = 0;
  let error: string | null = null;
  receiveUntil(
    workers.ports,
    posted,
    () => received === count || error !== null,
    (m) => {
      const msg = m as WorkerMessage;
      if ('error' in msg) error = msg.error;
      else if ('progress' in msg) progress?.update(msg);
      else {
        byPair[msg.index] = msg.rows;
        received += 1;
      }
    },
    1000,
  );
  workers.end();
  return error ?? byPair.flat();
}
