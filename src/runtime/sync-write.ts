import { writeSync } from 'node:fs';

/**
 * Write all of `s` to a file descriptor now, from any thread. A worker thread's process.stderr is a
 * stream the main thread drains: its writes wait for the worker's event loop, which a search holds
 * for as long as it runs, so progress lines would reach a pipe only when the command ends. A pipe
 * the main thread made non-blocking may refuse a write while it is full (EAGAIN): sleep a
 * millisecond and retry. A reader that stopped (`| head`) is no error: the rest is dropped and the
 * command keeps its own exit status.
 */
export function writeAllSync(fd: number, s: string): void {
  let buf = Buffer.from(s, 'utf8');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 1);
    }
  }
}
