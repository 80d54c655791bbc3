import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocated, bytesFor, FingerprintTable } from '../../src/check/fingerprint-table.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const key = (hi: number, lo: number): string => `${hi}:${lo === 0 && hi === 0 ? 1 : lo}`;

describe('FingerprintTable', () => {
  it('agrees with a Set on any sequence of adds and lookups, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(u32, u32), { maxLength: 400 }),
        fc.array(fc.tuple(u32, u32), { maxLength: 50 }),
        (adds, probes) => {
          const t = new FingerprintTable(16);
          const ref = new Set<string>();
          for (const [hi, lo] of adds) {
            const expected = ref.has(key(hi, lo)) ? 0 : 1;
            expect(t.add(hi, lo)).toBe(expected);
            ref.add(key(hi, lo));
            expect(t.size).toBe(ref.size);
          }
          for (const [hi, lo] of [...adds, ...probes]) expect(t.has(hi, lo)).toBe(ref.has(key(hi, lo)));
          expect(4 * t.size).toBeLessThanOrEqual(3 * t.capacity);
        },
      ),
    );
  });

  it('grows by half again and keeps every key (colliding low words too)', () => {
    const t = new FingerprintTable(16);
    for (let i = 0; i < 5000; i++) expect(t.add(i, 7)).toBe(1);
    expect(t.size).toBe(5000);
    expect(t.capacity).toBe(6927); // 16, 24, 36, ... each 3/2 of the last, rounded down
    expect(t.bytes).toBe(6927 * 8);
    for (let i = 0; i < 5000; i++) expect(t.has(i, 7)).toBe(true);
    expect(t.has(5000, 7)).toBe(false);
  });

  it('never holds a stored state in more than 16 bytes once its first 16 slots are half full', () => {
    const t = new FingerprintTable(16);
    let worst = 0;
    for (let i = 1; i <= 200_000; i++) {
      t.add(Math.imul(i, 0x9e3779b1), i);
      if (i >= 8) worst = Math.max(worst, t.bytes / t.size);
    }
    expect(worst).toBeLessThanOrEqual(16);
    expect(worst).toBeGreaterThan(15.9);
  });

  it('grows only as far as its byte limit allows', () => {
    const t = new FingerprintTable(16, 20 * 8);
    for (let i = 1; i <= 15; i++) expect(t.add(i, i)).toBe(1);
    expect(t.capacity).toBe(20);
    expect(t.add(16, 16)).toBe(-1);
  });

  it('stores (0, 0) as (0, 1)', () => {
    const t = new FingerprintTable();
    expect(t.add(0, 0)).toBe(1);
    expect(t.has(0, 0)).toBe(true);
    expect(t.add(0, 1)).toBe(0);
  });

  it('refuses to grow past its byte limit and says so instead of throwing', () => {
    const t = new FingerprintTable(16, 16 * 8);
    let added = 0;
    let full = false;
    for (let i = 1; i < 100 && !full; i++) {
      const r = t.add(i, i);
      if (r === -1) full = true;
      else added += r;
    }
    expect(full).toBe(true);
    expect(added).toBe(12);
    expect(t.bytes).toBe(128);
    expect(t.add(1, 1)).toBe(0); // present keys are still found
  });
});

describe('allocated and bytesFor', () => {
  it('turns an allocation that fails into null, and lets other errors through', () => {
    expect(allocated(() => new ArrayBuffer(2 ** 52))).toBeNull();
    expect(allocated(() => new Uint32Array(4))?.length).toBe(4);
    expect(() =>
      allocated(() => {
        throw new TypeError('not memory');
      }),
    ).toThrow(TypeError);
  });

  it('gives a table room for that many keys without growing past it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), (keys) => {
        const t = new FingerprintTable(16, bytesFor(keys));
        let added = 0;
        for (let k = 1; k <= keys; k++) added += t.add(k, k * 7);
        expect(added).toBe(keys);
        expect(t.bytes).toBeLessThanOrEqual(bytesFor(keys));
      }),
      { numRuns: 20 },
    );
  });
});
