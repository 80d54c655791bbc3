import { describe, expect, it } from 'vitest';
import { check, unavailableOps, type CheckResult } from '../../src/check/index.js';
import type { Condition } from '../../src/check/condition.js';
import type { Program } from '../../src/model/engine/program.js';
import { HUGETLB_2M, anon, op, profile, program } from '../model/harness.js';
import {
  cve,
  cveLeak,
  exists,
  exitRace,
  independent,
  memIs,
  putOfPin,
  regIs,
  writers,
  xWins,
} from './programs.js';

const CASES: [string, () => Program, Condition[]][] = [
  ['cve', cve, [cveLeak]],
  ['writers', writers, [xWins]],
  ['independent', () => independent(), [exists('r', regIs(0, 'r', 'X')), exists('z', memIs(1, 'buf', 'Z'))]],
  [
    'independent-gup',
    () => independent([op.pin('buf', 'h'), op.write('buf', 'X'), op.peek('h', 'r'), op.unpin('h')]),
    [exists('r', regIs(1, 'r', 'X'))],
  ],
  ['exit-race', exitRace, [exists('z', regIs(1, 'r', 'Z'))]],
  ['put-of-pin', putOfPin, [exists('a', regIs(1, 'r', 'A'))]],
  [
    'cve-hugetlb',
    () =>
      program(
        [anon('buf', HUGETLB_2M)],
        [
          { process: 0, ops: [op.fork(1), op.write('buf', 'B')] },
          { process: 1, ops: [op.get('buf', 'h'), op.munmap('buf'), op.peek('h', 'seen'), op.put('h')] },
        ],
        [op.write('buf', 'A')],
      ),
    [cveLeak],
  ],
  [
    'fork-pin-write',
    () =>
      program(
        [anon('buf'), anon('other')],
        [
          {
            process: 0,
            ops: [op.pinLongtermWrite('buf', 'h'), op.fork(1), op.write('other', 'O'), op.unpin('h')],
          },
          { process: 1, ops: [op.read('buf', 'r'), op.write('other', 'C'), op.exit()] },
        ],
        [op.write('buf', 'A'), op.write('other', 'A')],
      ),
    [exists('child-reads-A', regIs(1, 'r', 'A')), exists('parent-other', memIs(0, 'other', 'O'))],
  ],
];

const verdicts = (r: CheckResult) => ({
  conditions: r.conditions.map((c) => [c.verdict, c.satisfy, c.violate, c.trace?.steps.length ?? null]),
  invariants: r.invariants.map((i) => [i.verdict, i.clean, i.violating]),
  deadlock: r.deadlock.verdict,
  finalStates: r.finalStates,
  bound: r.bound,
});

describe('partial-order reduction', () => {
  for (const [name, prog, conds] of CASES)
    it.each(['v4.19', 'v5.4', 'v5.8', 'v6.1', 'v6.18'])(
      `${name} on %s: same verdicts and counts with and without`,
      (k) => {
        if (unavailableOps(prog(), profile(k)).length > 0) return; // pin_user_pages() is v5.6+
        const on = check(prog(), conds, profile(k), { por: true });
        const off = check(prog(), conds, profile(k), { por: false });
        expect(on.por).toBe(true);
        expect(off.por).toBe(false);
        expect(verdicts(on)).toEqual(verdicts(off));
        expect(on.states).toBeLessThanOrEqual(off.states);
        expect(on.transitions).toBeLessThanOrEqual(off.transitions);
        // Traces come from the unreduced shortest-trace pass: identical.
        expect(on.conditions.map((c) => c.trace)).toEqual(off.conditions.map((c) => c.trace));
      },
    );

  it('explores fewer states when processes share nothing', () => {
    const on = check(independent(), [], profile('v6.1'), { por: true });
    const off = check(independent(), [], profile('v6.1'), { por: false });
    expect(off.states).toBe(16); // 4 x 4 grid of the two threads' progress
    expect(on.states).toBe(7); // one interleaving
    expect(on.finalStates).toBe(off.finalStates);
  });

  it('does not reduce steps that allocate (fresh folio ids depend on the order)', () => {
    const prog: Program = { ...independent(), setup: [] };
    const on = check(prog, [], profile('v6.1'), { por: true });
    const off = check(prog, [], profile('v6.1'), { por: false });
    expect(on.finalStates).toBe(off.finalStates);
    expect(on.finalStates).toBeGreaterThan(1);
  });
});
