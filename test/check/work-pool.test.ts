import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkUnit } from '../../src/check/share.js';
import { poolBuffers, poolView, unitWords } from '../../src/check/work-pool.js';

const transition = fc.record({ actor: fc.nat({ max: 40 }), choice: fc.nat({ max: 9 }) });
const unit: fc.Arbitrary<WorkUnit> = fc.record({
  path: fc.array(transition, { maxLength: 30 }),
  sum: fc.record({
    a: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    b: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  }),
  mask: fc.nat({ max: 2 ** 30 - 1 }),
  todo: fc.option(fc.array(transition, { minLength: 1, maxLength: 8 }), { nil: null }),
});

describe('the work pool', () => {
  it('gives units back as they were given, the last first', () => {
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 20 }), (units) => {
        const pool = poolView(poolBuffers(1), 0);
        for (const u of units) expect(pool.give(u)).toBe(true);
        for (const u of [...units].reverse()) expect(pool.take()).toEqual(u);
        // Empty, and this thread is the only one: the search is over.
        expect(pool.take()).toBeNull();
      }),
    );
  });

  it('refuses a unit it has no room for, and keeps the others', () => {
    const pool = poolView(poolBuffers(1), 0);
    const long: WorkUnit = {
      path: Array.from({ length: 40_000 }, () => ({ actor: 1, choice: 0 })),
      sum: { a: 1, b: 2 },
      mask: 0,
      todo: [{ actor: 0, choice: 0 }],
    };
    const small: WorkUnit = { path: [], sum: { a: 3, b: 4 }, mask: 1, todo: [{ actor: 2, choice: 1 }] };
    expect(pool.give(small)).toBe(true);
    expect(pool.give(long)).toBe(false);
    expect(pool.take()).toEqual(small);
  });

  it('with room for more words, takes units of that many words besides the usual', () => {
    const long: WorkUnit = {
      path: Array.from({ length: 40_000 }, () => ({ actor: 1, choice: 0 })),
      sum: { a: 1, b: 2 },
      mask: 0,
      todo: [{ actor: 0, choice: 0 }],
    };
    const filler: WorkUnit = { path: [], sum: { a: 3, b: 4 }, mask: 1, todo: null };
    const pool = poolView(poolBuffers(1, unitWords(long)), 0);
    // The usual room, filled to its last word by units of unitWords(filler) words each.
    for (let n = 0; n + unitWords(filler) <= 1 << 16; n += unitWords(filler))
      expect(pool.give(filler)).toBe(true);
    expect(pool.give(long)).toBe(true);
    expect(pool.give(filler)).toBe(false);
    expect(pool.take()).toEqual(long);
  });

  it('a stop ends every thread’s taking and is seen by every poll', () => {
    const b = poolBuffers(2);
    const one = poolView(b, 0);
    const two = poolView(b, 1);
    one.give({ path: [], sum: { a: 0, b: 0 }, mask: 0, todo: null });
    expect(two.poll(10, 3)).toBeNull();
    one.stop('memory');
    one.stop('time'); // the first stop is the one reported
    expect(two.poll(20, 4)).toBe('memory');
    expect(two.take()).toBeNull();
  });

  it('wants no work while no thread is idle; sums the threads’ figures', () => {
    const b = poolBuffers(2);
    const one = poolView(b, 0);
    const two = poolView(b, 1);
    expect(one.wanted()).toBe(false);
    one.poll(100, 7);
    two.poll(2 ** 33, 12); // past 2^31 transitions: kept whole
    expect(one.figures()).toEqual({ transitions: 2 ** 33 + 100, maxDepth: 12 });
  });
});
