import { workerData } from 'node:worker_threads';
import type { Progress } from '../check/index.js';
import { postAndWake } from '../runtime/worker-messages.js';
import { runSuite } from '../suite/run.js';
import { defaultMaxMemory, interrupted, watch } from '../runtime/watch.js';
import { resolveKernels } from './kernels.js';
import { displayName, loadScenarios } from './library.js';
import type { WorkerData, WorkerMessage } from './parallel.js';

// A worker of `pinlab check --jobs N` (parallel.ts): load the same scenarios and kernels as the main
// thread, then check (scenario, kernel) pair after pair as the shared counter hands them out.
const { work, shared, port, interrupt, progressEvery } = workerData as WorkerData;
const words = new Int32Array(shared);
const posted = new Int32Array(shared, 4, 1);

function post(msg: WorkerMessage): void {
  postAndWake(port, posted, msg);
}

try {
  const loaded = loadScenarios(work.files, displayName);
  const kernels = resolveKernels(work.kernels, work.sets);
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
  if (typeof kernels === 'string') throw new Error(kernels);
  const watched = { maxMemory: work.bounds.maxMemory ?? defaultMaxMemory(), interrupt };
  const now = (): number => performance.now();
  const pairs = loaded.scenarios.length * kernels.length;
  for (let i = Atomics.add(words, 0, 1); i < pairs; i = Atomics.add(words, 0, 1)) {
    const s = loaded.scenarios[Math.floor(i / kernels.length)];
    const k = kernels[i % kernels.length];
    const index = i;
    const start = now();
    // The calling thread prints the progress (its meter decides when a line is due).
    const progress =
      progressEvery === null
        ? {}
        : {
            progressEvery,
            onProgress: (_id: string, _kernel: string, p: Progress) =>
              post({ index, progress: p, seconds: (now() - start) / 1000 }),
          };
    const options = { now, ...work.bounds, shouldStop: watch(watched), ...progress };
    // After a Ctrl-C the pairs left are claimed and left out, so the run ends with what it has.
    if (s && k) post({ index: i, rows: interrupted(watched) ? [] : runSuite([s], [k], options) });
  }
} catch (e) {
  post({ error: `pinlab check: worker: ${e instanceof Error ? e.message : String(e)}` });
}
