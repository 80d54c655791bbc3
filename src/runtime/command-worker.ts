import { workerData } from 'node:worker_threads';
import { run } from '../cli/run.js';
import type { CommandData } from './interruptible.js';

// The thread a searching command runs in (interruptible.ts); its exit code is the command's status.
const d = workerData as CommandData;

process.exitCode = run(d.argv, {
  version: d.version,
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  tty: d.tty,
  interrupt: d.interrupt,
});
