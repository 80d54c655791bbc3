import { performance } from 'node:perf_hooks';
import { workerData } from 'node:worker_threads';
import { INVARIANT_TABLE } from '../model/invariants/index.js';
import { instantiate } from '../model/engine/instantiate.js';
import { mapTables } from '../check/explore.js';
import { DepthFirstSearch } from '../check/search.js';
import { SharedFingerprintTable } from '../check/shared-table.js';
import type { ThreadData, ThreadMessage } from './threads.js';
import { poolView } from '../check/work-pool.js';
import { postAndWake } from './worker-messages.js';
import { watch } from './watch.js';

// A thread of a parallel search (threads.ts): rebuild the check from plain data, view the shared
// tables and pool, then search unit after unit until the pool says the search is over.
const d = workerData as ThreadData;

function post(msg: ThreadMessage): void {
  postAndWake(d.port, d.posted, msg);
}

try {
  const tables = mapTables(d.tables, (b) => new SharedFingerprintTable(b));
  const pool = poolView(d.pool, d.thread);
  const opts = {
    por: false,
    invariants: d.invariants.map((n) => INVARIANT_TABLE[n]),
    bounds: d.bounds,
    shouldStop: watch(d.watch),
    ...(Number.isFinite(d.bounds.timeoutMs) ? { now: () => performance.now() } : {}),
  };
  const initial = instantiate(d.program, d.policies);
  const search = new DepthFirstSearch(d.program, d.policies, initial, d.conditions, opts, tables, pool);
  for (let u = pool.take(); u !== null; u = pool.take()) search.run(u);
  post({ stats: search.stats() });
} catch (e) {
  post({
    error: `pinlab check: thread ${d.thread}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  });
}
