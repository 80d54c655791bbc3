import { Worker, workerData } from 'node:worker_threads';
import { postAndWake } from './worker-messages.js';
import type { SupervisorData } from './workers.js';

// The supervisor of a job's workers (workers.ts): start them, and tell the calling thread of one that
// stopped without a clean exit, once.
const d = workerData as SupervisorData;

d.workers.forEach((data, i) => {
  let told = false;
  const tell = (why: string): void => {
    if (told) return;
    told = true;
    postAndWake(d.port, d.posted, { error: `pinlab check: ${d.what} ${i} stopped: ${why}` });
  };
  const w = new Worker(new URL(d.url), { workerData: data, transferList: [data.port] });
  w.on('error', (e) => tell(e.message));
  w.on('exit', (code) => {
    if (code !== 0) tell(`exit code ${code}`);
  });
});
