import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The commands that search (`check`, `diff`, `explain`) run in a worker thread, so that the main
 * thread's event loop stays free to see a Ctrl-C: a search holds its thread for as long as it runs,
 * and Node delivers SIGINT only on the main thread's loop. The first Ctrl-C sets a shared word that
 * every search of the run polls (watch.ts): the searches stop, and the command prints their figures
 * and the verdicts known so far, marked partial, then exits 130. A second Ctrl-C ends the process.
 */

/** What the command thread needs: the command line, the version, whether stderr is a terminal. */
export interface CommandData {
  readonly argv: readonly string[];
  readonly version: string;
  readonly tty: boolean;
  /** stderr's width when it is a terminal. */
  readonly columns: number | undefined;
  readonly interrupt: Int32Array;
}

const SEARCHING = new Set(['check', 'diff', 'explain']);

const WORKER = new URL('./command-worker.js', import.meta.url);

/** Whether `argv` runs a search and the compiled command worker is there to run it. */
export function interruptible(argv: readonly string[]): boolean {
  return SEARCHING.has(argv[0] ?? '') && existsSync(fileURLToPath(WORKER));
}

/** Run the command in a worker thread; resolves to its exit status. */
export function runInterruptible(argv: readonly string[], version: string): Promise<number> {
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const data: CommandData = {
    argv,
    version,
    tty: process.stderr.isTTY,
    columns: process.stderr.columns,
    interrupt,
  };
  const onSigint = (): void => {
    if (Atomics.exchange(interrupt, 0, 1) !== 0) process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return new Promise((resolve) => {
    // A small code range: every thread reserves address space, and a `ulimit -v` counts it all.
    const w = new Worker(WORKER, { workerData: data, resourceLimits: { codeRangeSizeMb: 16 } });
    let failed = false;
    // What escapes run() (a heap exhausted despite the watch) is an internal error: exit 3, one line.
    w.on('error', (e) => {
      failed = true;
      process.stderr.write(`pinlab ${argv[0] ?? ''}: internal error: ${e.message.split('\n')[0] ?? ''}\n`);
    });
    w.on('exit', (code) => {
      process.off('SIGINT', onSigint);
      resolve(failed ? 3 : code);
    });
  });
}
