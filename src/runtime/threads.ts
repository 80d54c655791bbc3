import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { invariantNames, type InvariantName } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { Program } from '../model/engine/program.js';
import type { ResolvedBounds } from '../check/bounds.js';
import type { Condition } from '../check/condition.js';
import {
  explore,
  mapTables,
  mergeStats,
  searchTables,
  type ExploreOptions,
  type Explorer,
  type ExploreStats,
  type SearchTables,
} from '../check/explore.js';
import { DepthFirstSearch, PROGRESS_EVERY } from '../check/search.js';
import { handOff, rootUnit, type WorkUnit } from '../check/share.js';
import { allocated, bytesFor, FingerprintTable } from '../check/fingerprint-table.js';
import { SharedFingerprintTable, sharedTableFrom, type SharedTableBuffers } from '../check/shared-table.js';
import { poolBuffers, poolView, unitWords, type PoolBuffers } from '../check/work-pool.js';
import { receiveUntil } from './worker-messages.js';
import { startWorkers } from './workers.js';
import { HEAP_ONLY, type WatchData } from './watch.js';

/**
 * One search in several threads (`pinlab check --threads N`): N workers run explore's search over
 * shared fingerprint tables (shared-table.ts), handing work to each other through a pool in shared
 * memory (work-pool.ts). The calling thread only starts them, writes the progress line and merges
 * their figures; it stays synchronous, sleeping on a shared word (Atomics.wait).
 *
 * A complete search counts the same states, transitions, final states and verdicts as one thread;
 * what depends on the order the threads met things is the deepest state, the first violation met
 * (the reported one comes from the shortest trace) and, under a bound, which states were stored.
 * The threads search without partial-order reduction (its stack proviso is one thread's).
 */

export interface ThreadData {
  readonly program: Program;
  readonly policies: Policies;
  readonly conditions: readonly Condition[];
  /** The check's invariants, by their names in the model's table. */
  readonly invariants: readonly InvariantName[];
  readonly bounds: ResolvedBounds;
  /** What each thread watches for itself (its own heap, the process's memory, Ctrl-C). */
  readonly watch: WatchData;
  readonly tables: SearchTables<SharedTableBuffers>;
  readonly pool: PoolBuffers;
  readonly thread: number;
  /** Bumped by each post (receiveUntil). */
  readonly posted: Int32Array;
  readonly port: MessagePort;
}

export type ThreadMessage = { readonly stats: ExploreStats } | { readonly error: string };

const WORKER = new URL('./thread-worker.js', import.meta.url);

/** Whether the compiled worker is there (it is not when pinlab runs from its TypeScript sources). */
export function threadsAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/** How often the calling thread looks at the workers' progress while it waits. */
const LOOK_MS = 200;

/**
 * The states a search stores in the calling thread before threads take it over. Starting the workers
 * costs about what one thread spends on this many states (some 150 ms), so a smaller search, as most
 * of the library's are, is over before threads could have helped; a larger one is handed to them.
 */
export const ALONE_STATES = 10_000;

/**
 * An explorer for check(): the search in `threads` worker threads, without reduction; the invariants
 * judged must be the model table's own (INVARIANT_TABLE), which the workers pick by name. It starts in the calling thread; past ALONE_STATES stored states, the threads go on from
 * where it stopped: with its tables, and its stack's untaken transitions as the pool's first units.
 */
export function threadedExplorer(threads: number, watched: WatchData = HEAP_ONLY): Explorer {
  return (program, policies, initial, conditions, given) => {
    const names = invariantNames(given.invariants);
    if (names === null) throw new Error("pinlab check: threads judge the model table's invariants only");
    const opts = { ...given, por: false };
    const { bounds, now } = opts;
    if (bounds.maxStates <= ALONE_STATES) return explore(program, policies, initial, conditions, opts);
    const t0 = now?.() ?? 0;
    const { maxMemory } = bounds;
    const tables = searchTables(opts.invariants.length, maxMemory, (n) => new FingerprintTable(n, maxMemory));
    const handed = handOff(ALONE_STATES);
    const first = new DepthFirstSearch(program, policies, initial, conditions, opts, tables, handed);
    first.run(rootUnit(initial));
    const { units } = handed;
    if (units.length === 0) return first.stats();
    const timeoutMs = bounds.timeoutMs - ((now?.() ?? 0) - t0);
    const shared = sharedTables(tables, Math.min(maxMemory, bytesFor(bounds.maxStates)));
    if (shared === null) return { ...first.stats(), bound: 'memory' };
    const rest = { tables: shared, units, done: first.stats() };
    return inThreads(threads, names, watched, rest, program, policies, conditions, {
      ...opts,
      bounds: { ...bounds, timeoutMs },
    });
  };
}

/**
 * The hand-off's tables in shared memory, each reserving address space for `bytes` (what the states
 * bound needs, or the memory bound), halved while they do not all fit (a `ulimit -v`): a table that
 * fills its reservation ends the search on its memory bound. Null when not even what the tables hold
 * fits.
 */
function sharedTables(
  tables: SearchTables<FingerprintTable>,
  bytes: number,
): SearchTables<SharedTableBuffers> | null {
  const all = [tables.visited, tables.finals, tables.deadlocked, ...tables.clean, ...tables.dirty];
  const least = Math.max(...all.map((t) => t.bytes));
  for (let b = bytes; b >= least; b = Math.floor(b / 2)) {
    const shared = allocated(() => mapTables(tables, (t) => sharedTableFrom(t, b)));
    if (shared !== null) return shared;
  }
  return null;
}

/** What the threads go on with: the search's tables and untaken work, and its figures so far. */
interface HandOff {
  readonly tables: SearchTables<SharedTableBuffers>;
  readonly units: readonly WorkUnit[];
  readonly done: ExploreStats;
}

/** The rest of the search in `threads` worker threads. */
function inThreads(
  threads: number,
  names: readonly InvariantName[],
  watched: WatchData,
  { tables, units, done }: HandOff,
  program: Program,
  policies: Policies,
  conditions: readonly Condition[],
  opts: ExploreOptions,
): ExploreStats {
  const pool = poolBuffers(
    threads,
    units.reduce((n, u) => n + unitWords(u), 0),
  );
  const view = poolView(pool, 0);
  // Deepest first: the pool is a stack, so the first units taken are the ones with the most work.
  for (let i = units.length - 1; i >= 0; i--)
    if (!view.give(units[i] as WorkUnit)) throw new RangeError('pinlab check: no room for the hand-off');
  const posted = new Int32Array(new SharedArrayBuffer(4));
  const workers = startWorkers(
    WORKER,
    'thread',
    threads,
    (thread, port): ThreadData => ({
      program,
      policies,
      conditions,
      invariants: names,
      bounds: opts.bounds,
      watch: watched,
      tables,
      pool,
      thread,
      posted,
      port,
    }),
    posted,
  );
  const parts: ExploreStats[] = [];
  let error: string | null = null;
  const every = Math.max(1, Math.floor(opts.progressEvery ?? PROGRESS_EVERY));
  let reported = 0;
  const visited = new SharedFingerprintTable(tables.visited);
  const progress = (): void => {
    const states = visited.size;
    if (!opts.onProgress || Math.floor(states / every) <= reported) return;
    reported = Math.floor(states / every);
    const { transitions, maxDepth } = view.figures();
    opts.onProgress({
      states,
      transitions: done.transitions + transitions,
      maxDepth: Math.max(done.maxDepth, maxDepth),
      tableBytes: visited.bytes,
    });
  };
  receiveUntil(
    workers.ports,
    posted,
    () => parts.length === threads || error !== null,
    (m) => {
      const msg = m as ThreadMessage;
      if ('error' in msg) error = msg.error;
      else parts.push(msg.stats);
    },
    LOOK_MS,
    progress,
  );
  workers.end();
  if (error !== null) throw new Error(error);
  return mergeStats([done, ...parts]);
}
