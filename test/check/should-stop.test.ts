import { describe, expect, it } from 'vitest';
import { check, type BoundName } from '../../src/check/index.js';
import { anon, op, profile, program } from '../model/harness.js';
import { exists, memIs } from './programs.js';

/** Three threads writing and reading one page: some thousands of transitions. */
const threads = (): ReturnType<typeof program> =>
  program(
    [anon('buf')],
    ['X', 'Y', 'Z'].map((v) => ({
      process: 0,
      ops: [op.write('buf', v), op.read('buf', `r${v}`), op.write('buf', v), op.read('buf', `s${v}`)],
    })),
    [op.write('buf', 'A')],
  );
/** Never true (no thread writes Q): `never` when the search is complete, `inconclusive` when stopped. */
const conds = [exists('q-wins', memIs(0, 'buf', 'Q'))];

/** A ShouldStop that says `bound` from its `n`th call on, counting its calls: no clock, no memory read. */
function stopAt(n: number, bound: BoundName): { calls: () => number; shouldStop: () => BoundName | null } {
  let calls = 0;
  return { calls: () => calls, shouldStop: () => (++calls >= n ? bound : null) };
}

describe("check: the caller's ShouldStop (memory watch, Ctrl-C)", () => {
  const full = check(threads(), conds, profile('v6.1'), { por: false });

  it('is polled before the search and every 256 transitions; never stopping changes nothing', () => {
    expect(full.transitions).toBeGreaterThan(4 * 256);
    expect(full.conditions[0]?.verdict).toBe('never');
    const never = stopAt(Number.POSITIVE_INFINITY, 'memory');
    const r = check(threads(), conds, profile('v6.1'), { por: false, shouldStop: never.shouldStop });
    expect(r).toEqual(full);
    expect(never.calls()).toBeGreaterThanOrEqual(1 + Math.floor(full.transitions / 256));
  });

  it('stops the search on its bound: inconclusive, with the figures of what was searched', () => {
    const r = check(threads(), conds, profile('v6.1'), {
      por: false,
      shouldStop: stopAt(3, 'memory').shouldStop,
    });
    expect(r.bound).toBe('memory');
    expect(r.transitions).toBe(2 * 256);
    expect(r.states).toBeGreaterThan(0);
    expect(r.states).toBeLessThan(full.states);
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
  });

  it('before the search (after instantiation): no state stored', () => {
    const r = check(threads(), conds, profile('v6.1'), { shouldStop: stopAt(1, 'interrupt').shouldStop });
    expect(r).toMatchObject({ bound: 'interrupt', states: 0, transitions: 0 });
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
  });

  it('stops the shortest-trace pass too: the verdict stands, its trace is left out', () => {
    const zWins = [exists('z-wins', memIs(0, 'buf', 'Z'))];
    const done = check(threads(), zWins, profile('v6.1'), { por: false });
    expect(done.conditions[0]?.verdict).toBe('sometimes');
    expect(done.conditions[0]?.trace).not.toBeNull();
    // The search polls once, then every 256 transitions; the next poll is the trace pass's.
    const polls = 1 + Math.floor(done.transitions / 256);
    const r = check(threads(), zWins, profile('v6.1'), {
      por: false,
      shouldStop: stopAt(polls + 1, 'memory').shouldStop,
    });
    expect(r.bound).toBeNull();
    expect(r.traceBound).toBe('memory');
    expect(r.conditions[0]).toMatchObject({ verdict: 'sometimes', trace: null });
  });
});
