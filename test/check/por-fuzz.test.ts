import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, unavailableOps } from '../../src/check/index.js';
import type { Condition } from '../../src/check/condition.js';
import type { Op } from '../../src/model/ops/index.js';
import type { Program } from '../../src/model/engine/program.js';
import { anon, op, profile } from '../model/harness.js';
import { exists, memIs, regIs } from './programs.js';

/** Random small programs: P (maybe forking C) and an unrelated process Q, threads on either. */
const buf = fc.constantFrom('a', 'b');
const handle = fc.constantFrom('h', 'k');
const anyOp: fc.Arbitrary<Op> = fc.oneof(
  buf.map((b) => op.write(b, 'W')),
  buf.map((b) => op.read(b, 'r')),
  fc.tuple(buf, handle).map(([b, h]) => op.get(b, h)),
  fc.tuple(buf, handle).map(([b, h]) => op.pin(b, h)),
  handle.map((h) => op.put(h)),
  handle.map((h) => op.unpin(h)),
  handle.map((h) => op.peek(h, 'r')),
  buf.map((b) => op.munmap(b)),
  buf.map((b): Op => ({ op: 'madvise', buf: b, advice: 'pageout' })),
  buf.map((b): Op => ({ op: 'madvise', buf: b, advice: 'dontneed' })),
  buf.map((b): Op => ({ op: 'mprotect', buf: b, read: true, write: false })),
);

const programArb = fc
  .record({
    t0: fc.array(anyOp, { maxLength: 3 }),
    fork: fc.boolean(),
    t1: fc.array(anyOp, { maxLength: 3 }),
    t2: fc.array(anyOp, { maxLength: 2 }),
    t2InQ: fc.boolean(),
    setupB: fc.boolean(),
  })
  .map(({ t0, fork, t1, t2, t2InQ, setupB }): Program => ({
    files: [],
    processes: [
      { name: 'P', mappings: [anon('a'), anon('b')], forked: false },
      { name: 'C', mappings: [], forked: true },
      { name: 'Q', mappings: [anon('a'), anon('b')], forked: false },
    ],
    setup: [[0, op.write('a', 'A')], ...(setupB ? [[2, op.write('b', 'A')] as const] : [])],
    actors: [
      { name: 'T0', process: 0, ops: fork ? [op.fork(1), ...t0] : t0 },
      { name: 'T1', process: fork ? 1 : 0, ops: t1 },
      { name: 'T2', process: t2InQ ? 2 : 0, ops: t2 },
    ],
  }));

const CONDS: Condition[] = [
  exists('t1-r-W', regIs(1, 'r', 'W')),
  exists('t2-r-A', regIs(2, 'r', 'A')),
  exists('P-a-W', memIs(0, 'a', 'W')),
  exists('Q-b-A', memIs(2, 'b', 'A')),
];

describe('partial-order reduction on random programs', () => {
  it.each(['v5.4', 'v5.10', 'v6.1', 'v6.18'])(
    'gives the same verdicts and counts as the full search on %s',
    (k) => {
      const p = profile(k);
      fc.assert(
        fc.property(programArb, (prog) => {
          if (unavailableOps(prog, p).length > 0) return;
          const on = check(prog, CONDS, p, { por: true, traces: false });
          const off = check(prog, CONDS, p, { por: false, traces: false });
          const view = (r: typeof on) => ({
            c: r.conditions.map((c) => [c.verdict, c.satisfy, c.violate]),
            i: r.invariants.map((i) => [i.verdict, i.clean, i.violating]),
            d: [r.deadlock.verdict, r.deadlock.count],
            f: r.finalStates,
          });
          expect(view(on)).toEqual(view(off));
          expect(on.states).toBeLessThanOrEqual(off.states);
        }),
        { numRuns: 150, seed: 42 },
      );
    },
  );
});
