import { workerData } from 'node:worker_threads';
import { run } from '../cli/run.js';
import type { CommandData } from './interruptible.js';
import { writeAllSync } from './sync-write.js';

// The thread a searching command runs in (interruptible.ts); its exit code is the command's status.
// Both streams are written synchronously, in order: progress reaches a pipe while the search runs.
const d = workerData as CommandData;

process.exitCode = run(d.argv, {
  version: d.version,
  out: (s) => writeAllSync(1, s),
  err: (s) => writeAllSync(2, s),
  tty: d.tty,
  columns: d.columns,
  interrupt: d.interrupt,
});
