import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../src/check/fingerprint-table.js';
import { SharedFingerprintTable, sharedTableBuffers, sharedTableFrom } from '../../src/check/shared-table.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('SharedFingerprintTable', () => {
  it('answers as FingerprintTable on any sequence of adds and lookups, across growth and the byte limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(u32, u32), { maxLength: 300 }),
        fc.array(fc.tuple(u32, u32), { maxLength: 30 }),
        fc.constantFrom(Number.POSITIVE_INFINITY, 256, 1000),
        (adds, probes, maxBytes) => {
          const local = new FingerprintTable(16, maxBytes);
          const shared = new SharedFingerprintTable(sharedTableBuffers(16, maxBytes));
          for (const [hi, lo] of adds) {
            expect(shared.add(hi, lo)).toBe(local.add(hi, lo));
            expect(shared.size).toBe(local.size);
            expect(shared.bytes).toBe(local.bytes);
          }
          for (const [hi, lo] of [...adds, ...probes]) expect(shared.has(hi, lo)).toBe(local.has(hi, lo));
        },
      ),
    );
  });

  it('is one set for every view of its buffers, grown in place', () => {
    const b = sharedTableBuffers(16, Number.POSITIVE_INFINITY);
    const a = new SharedFingerprintTable(b);
    const c = new SharedFingerprintTable(b);
    for (let i = 0; i < 3000; i++) expect((i % 2 === 0 ? a : c).add(i, 5)).toBe(1);
    for (let i = 0; i < 3000; i++) expect((i % 2 === 0 ? c : a).add(i, 5)).toBe(0);
    expect([a.size, c.size]).toEqual([3000, 3000]);
    expect(a.bytes).toBe(c.bytes);
    expect(b.slots.byteLength).toBe(a.bytes); // the one buffer grew, no copy was handed round
  });

  it('made from a FingerprintTable, holds what it holds and goes on as it would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(u32, u32), { maxLength: 300 }),
        fc.array(fc.tuple(u32, u32), { maxLength: 100 }),
        fc.constantFrom(Number.POSITIVE_INFINITY, 1000),
        (before, after, maxBytes) => {
          const local = new FingerprintTable(16, maxBytes);
          for (const [hi, lo] of before) local.add(hi, lo);
          const shared = new SharedFingerprintTable(sharedTableFrom(local, maxBytes));
          expect([shared.size, shared.bytes]).toEqual([local.size, local.bytes]);
          for (const [hi, lo] of after) expect(shared.add(hi, lo)).toBe(local.add(hi, lo));
          for (const [hi, lo] of [...before, ...after]) expect(shared.has(hi, lo)).toBe(true);
          expect(shared.size).toBe(local.size);
        },
      ),
    );
  });

  it('stores (0, 0) as (0, 1), as FingerprintTable does', () => {
    const t = new SharedFingerprintTable(sharedTableBuffers(16, 1024));
    expect(t.add(0, 0)).toBe(1);
    expect(t.add(0, 1)).toBe(0);
    expect(t.has(0, 0)).toBe(true);
  });
});
