import { readFileSync } from 'node:fs';
import type { Condition, Prop } from '../../src/check/condition.js';
import type { Op } from '../../src/model/ops/index.js';
import type { Program } from '../../src/model/engine/program.js';
import { anon, op, program } from '../model/harness.js';

/** Small programs for the checker's tests, with their conditions. */

export const regIs = (actor: number, reg: string, value: string): Prop => ({
  kind: 'eq',
  left: { kind: 'reg', actor, reg },
  right: { kind: 'lit', value },
});

export const memIs = (process: number, buf: string, value: string): Prop => ({
  kind: 'eq',
  left: { kind: 'mem', process, buf },
  right: { kind: 'lit', value },
});

export const exists = (name: string, prop: Prop): Condition => ({ name, quantifier: 'exists', prop });
export const forall = (name: string, prop: Prop): Condition => ({ name, quantifier: 'forall', prop });

/** CVE-2020-29374: the child R/O-GUPs the shared page, unmaps it, the parent writes, the child peeks. */
export function cve(): Program {
  return program(
    [anon('buf')],
    [
      { process: 0, ops: [op.fork(1), op.write('buf', 'B')] },
      { process: 1, ops: [op.get('buf', 'h'), op.munmap('buf'), op.peek('h', 'seen'), op.put('h')] },
    ],
    [op.write('buf', 'A')],
  );
}
export const cveLeak = exists('leak', regIs(1, 'seen', 'B'));

/** Two threads of one process write the same buffer. */
export function writers(): Program {
  return program(
    [anon('buf')],
    [
      { process: 0, ops: [op.write('buf', 'X')] },
      { process: 0, ops: [op.write('buf', 'Y')] },
    ],
    [op.write('buf', 'A')],
  );
}
export const xWins = exists('x-wins', memIs(0, 'buf', 'X'));

/** Two processes that share nothing, each running `ops` on its own (already faulted-in) buffer. */
export function independent(
  ops: Op[] = [op.write('buf', 'X'), op.read('buf', 'r'), op.write('buf', 'Z')],
): Program {
  return {
    files: [],
    processes: [
      { name: 'P', mappings: [anon('buf')], forked: false },
      { name: 'Q', mappings: [anon('buf')], forked: false },
    ],
    setup: [
      [0, op.write('buf', 'A')],
      [1, op.write('buf', 'A')],
    ],
    actors: [
      { name: 'T0', process: 0, ops },
      { name: 'T1', process: 1, ops },
    ],
  };
}

/** A thread exits its process while another thread of it is still running: runs of different lengths. */
export function exitRace(): Program {
  return program(
    [anon('buf')],
    [
      { process: 0, ops: [op.write('buf', 'X'), op.exit()] },
      { process: 0, ops: [op.write('buf', 'Y'), op.write('buf', 'Z'), op.read('buf', 'r')] },
    ],
    [op.write('buf', 'A')],
  );
}

/** A pin dropped with put_page (counter mismatch), racing a write, in a forked child. */
export function putOfPin(): Program {
  return program(
    [anon('buf')],
    [
      { process: 0, ops: [op.fork(1), op.write('buf', 'B')] },
      { process: 1, ops: [op.pin('buf', 'h'), op.put('h'), op.read('buf', 'r')] },
    ],
    [op.write('buf', 'A')],
  );
}

/**
 * The benchmark's system (bench/gup-fork.pin) with two speculative-reference threads, not three: a
 * search of some 21 000 (v5.4) to 28 000 (v6.5) states, past what threadedExplorer keeps in one thread.
 */
export function gupForkTwoSpec(): string {
  return readFileSync('bench/gup-fork.pin', 'utf8').replace(/thread S2 in P\n( {2}try-get\n)+\n/, '');
}
