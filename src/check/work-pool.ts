import type { BoundName } from './bounds.js';
import type { WorkShare, WorkUnit } from './share.js';
import type { Transition } from '../model/engine/step.js';

/**
 * The work the threads of one search share (runtime/threads.ts), in shared memory so no thread has to run an
 * event loop: a stack of WorkUnits encoded as Int32 words, a count of idle threads, a stop word.
 * A thread with nothing left asks (`take`), counts itself idle and sleeps on the pool's version; a
 * busy thread sees an idle one with no unit waiting (`wanted`) and gives it the oldest transitions of
 * its stack. When every thread is idle and no unit waits, the search is over: no work is left
 * anywhere, since work is only in a busy thread's stack or in the pool.
 */

/** What a thread needs to share the pool: plain data that crosses to a worker. */
export interface PoolBuffers {
  readonly control: SharedArrayBuffer;
  /** Each thread's transitions and deepest state so far (BigInt64: a long search passes 2^31). */
  readonly figures: SharedArrayBuffer;
  readonly units: SharedArrayBuffer;
  readonly threads: number;
}

const LOCK = 0;
const IDLE = 1;
const VERSION = 2;
const DONE = 3;
const STOP = 4;
const COUNT = 5;
const TOP = 6;

/** Room for units: a unit takes 6 words plus 2 per transition of its path and of its todo (unitWords). */
const UNIT_WORDS = 1 << 16;

const BOUNDS: readonly BoundName[] = ['states', 'depth', 'time', 'memory', 'interrupt'];

/** Transitions between two looks of a busy thread at the pool (a few microseconds each). */
const POLL_EVERY = 64;

/** Longest sleep of an idle thread between looks (it is woken as soon as work comes). */
const IDLE_WAIT_MS = 50;

/** The buffers of a pool for `threads`, with room for `more` words of units besides the usual. */
export function poolBuffers(threads: number, more = 0): PoolBuffers {
  return {
    control: new SharedArrayBuffer(4 * (TOP + 1)),
    figures: new SharedArrayBuffer(16 * threads),
    units: new SharedArrayBuffer(4 * (UNIT_WORDS + more)),
    threads,
  };
}

/** The words unit `u` takes in the pool. */
export function unitWords(u: WorkUnit): number {
  return 6 + 2 * (u.path.length + (u.todo?.length ?? 0));
}

function encode(u: WorkUnit): number[] {
  const todo = u.todo ?? [];
  const out = [u.mask, u.sum.a, u.sum.b, u.path.length, u.todo === null ? -1 : todo.length];
  for (const t of [...u.path, ...todo]) out.push(t.actor, t.choice);
  out.push(out.length + 1);
  return out;
}

function decode(w: Int32Array, at: number): WorkUnit {
  const pathLength = w[at + 3] as number;
  const todoLength = w[at + 4] as number;
  const transitions = (from: number, n: number): Transition[] =>
    Array.from({ length: n }, (_, i) => ({
      actor: w[from + 2 * i] as number,
      choice: w[from + 2 * i + 1] as number,
    }));
  return {
    mask: w[at] as number,
    sum: { a: w[at + 1] as number, b: w[at + 2] as number },
    path: transitions(at + 5, pathLength),
    todo: todoLength < 0 ? null : transitions(at + 5 + 2 * pathLength, todoLength),
  };
}

/** One thread's view of the pool: the WorkShare its search uses, and `take` for its next unit. */
export interface PoolView extends WorkShare {
  /** The next unit for this thread, or null when the search is over (or stopped). */
  take(): WorkUnit | null;
  /** The threads' transitions and deepest state, summed and maximised. */
  figures(): { transitions: number; maxDepth: number };
}

export function poolView(b: PoolBuffers, thread: number): PoolView {
  const c = new Int32Array(b.control);
  const w = new Int32Array(b.units);
  const f = new BigInt64Array(b.figures);
  const lock = (): void => {
    while (Atomics.compareExchange(c, LOCK, 0, 1) !== 0);
  };
  const unlock = (): void => {
    Atomics.store(c, LOCK, 0);
  };
  const wake = (): void => {
    Atomics.add(c, VERSION, 1);
    Atomics.notify(c, VERSION);
  };
  const stopped = (): BoundName | null => BOUNDS[Atomics.load(c, STOP) - 1] ?? null;

  const give = (u: WorkUnit): boolean => {
    const words = encode(u);
    lock();
    const top = c[TOP] as number;
    const fits = top + words.length <= w.length;
    if (fits) {
      w.set(words, top);
      c[TOP] = top + words.length;
      c[COUNT] = (c[COUNT] as number) + 1;
    }
    unlock();
    if (fits) wake();
    return fits;
  };

  const take = (): WorkUnit | null => {
    lock();
    for (;;) {
      if (stopped() !== null || c[DONE] !== 0) break;
      const top = c[TOP] as number;
      if ((c[COUNT] as number) > 0) {
        const at = top - (w[top - 1] as number);
        const u = decode(w, at);
        c[TOP] = at;
        c[COUNT] = (c[COUNT] as number) - 1;
        unlock();
        return u;
      }
      c[IDLE] = (c[IDLE] as number) + 1;
      if (c[IDLE] === b.threads) {
        c[DONE] = 1;
        unlock();
        wake();
        return null;
      }
      const version = Atomics.load(c, VERSION);
      unlock();
      Atomics.wait(c, VERSION, version, IDLE_WAIT_MS);
      lock();
      c[IDLE] = c[IDLE] - 1;
    }
    unlock();
    return null;
  };

  return {
    every: POLL_EVERY,
    handOffAt: Number.POSITIVE_INFINITY,
    take,
    give,
    wanted: () => Atomics.load(c, IDLE) > 0 && Atomics.load(c, COUNT) === 0,
    stop: (bound) => {
      Atomics.compareExchange(c, STOP, 0, BOUNDS.indexOf(bound) + 1);
      wake();
    },
    poll: (transitions, maxDepth) => {
      Atomics.store(f, 2 * thread, BigInt(transitions));
      Atomics.store(f, 2 * thread + 1, BigInt(maxDepth));
      return stopped();
    },
    figures: () => {
      let transitions = 0;
      let maxDepth = 0;
      for (let i = 0; i < b.threads; i++) {
        transitions += Number(Atomics.load(f, 2 * i));
        maxDepth = Math.max(maxDepth, Number(Atomics.load(f, 2 * i + 1)));
      }
      return { transitions, maxDepth };
    },
  };
}
