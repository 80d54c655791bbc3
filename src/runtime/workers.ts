import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * Worker threads for a job (`--threads`, `--jobs`), started by a supervisor thread that watches them.
 * The calling thread waits synchronously (worker-messages.ts), so it never runs the event loop that a
 * worker's 'exit' and 'error' events need: a worker that died without posting (an uncaught error at
 * load, a heap out of memory, a non-zero exit) would leave it waiting forever. The supervisor keeps an
 * event loop of its own and posts such a death to the calling thread as `{ error }`.
 */

/** A worker's data: whatever it needs, and the port it posts on. */
export interface PortData {
  readonly port: MessagePort;
}

export interface SupervisorData {
  readonly url: string;
  /** What the workers are called in a report ("thread", "worker"). */
  readonly what: string;
  readonly workers: readonly PortData[];
  /** The word the calling thread sleeps on (receiveUntil). */
  readonly posted: Int32Array;
  readonly port: MessagePort;
}

export interface Workers {
  /** The ports to read: the supervisor's, then one per worker. */
  readonly ports: readonly MessagePort[];
  /** Stop every worker (they end with their supervisor) and close the ports. */
  end(): void;
}

const SUPERVISOR = new URL('./supervisor-worker.js', import.meta.url);

/** Start `count` workers running `url`, worker i with `data(i, port)`, posting on `posted`. */
export function startWorkers<D extends PortData>(
  url: URL,
  what: string,
  count: number,
  data: (i: number, port: MessagePort) => D,
  posted: Int32Array,
): Workers {
  // A supervisor that cannot load could not say so: the calling thread would wait for ever.
  for (const u of [SUPERVISOR, url])
    if (!existsSync(fileURLToPath(u)))
      throw new Error(`pinlab check: no compiled worker ${u.href} (npm run build)`);
  const ports: MessagePort[] = [];
  const workers: D[] = [];
  for (let i = 0; i < count; i++) {
    const { port1, port2 } = new MessageChannel();
    workers.push(data(i, port2));
    ports.push(port1);
  }
  const { port1, port2 } = new MessageChannel();
  const sup: SupervisorData = { url: url.href, what, workers, posted, port: port2 };
  const supervisor = new Worker(SUPERVISOR, {
    workerData: sup,
    transferList: [port2, ...workers.map((w) => w.port)],
  });
  const all = [port1, ...ports];
  return {
    ports: all,
    end() {
      void supervisor.terminate();
      for (const p of all) p.close();
    },
  };
}
