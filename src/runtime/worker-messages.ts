import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/**
 * The calling thread's side of a job shared out to workers, kept synchronous: take messages off the
 * workers' ports (receiveMessageOnPort needs no event loop) until `done`, sleeping on a shared word
 * that each worker bumps after it posts (word 0 of `posted`), at most `lookMs` at a time; `look` runs
 * at each wake (a progress line).
 */
export function receiveUntil(
  ports: readonly MessagePort[],
  posted: Int32Array,
  done: () => boolean,
  onMessage: (message: unknown) => void,
  lookMs: number,
  look: () => void = () => undefined,
): void {
  while (!done()) {
    const seen = Atomics.load(posted, 0);
    for (const port of ports)
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
        onMessage(m.message);
    look();
    if (!done()) Atomics.wait(posted, 0, seen, lookMs);
  }
}

/** A worker's post: the message, then the shared word the calling thread sleeps on. */
export function postAndWake(port: MessagePort, posted: Int32Array, message: unknown): void {
  port.postMessage(message);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}
