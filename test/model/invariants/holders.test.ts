import { describe, expect, it } from 'vitest';
import { FOLL_GET } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { tryGrabFolio } from '../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { expectedMapcount, expectedRefcount, heldCounts } from '../../../src/model/invariants/holders.js';
import { anonMap, bench, fileMap, fileSpec } from '../builders.js';

describe('expectedRefcount', () => {
  it('counts one reference per live mapping', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    dupMm(b.ctx, b.w, 0);
    expect(expectedRefcount(b.w, f.id)).toBe(2);
    expect(expectedMapcount(b.w, f.id)).toBe(2);
    expect(f.refcount).toBe(2);
  });
  it('counts the page cache and the swap cache, but not a GUP reference', () => {
    const file = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4')]);
    handleMmFault(file.ctx, file.w, file.at('buf'), 'read');
    const id = file.folio('buf').id;
    const by = (k: 'mms' | 'files' | 'swap' | 'folios'): number => heldCounts(file.w, [k]).get(id)?.refs ?? 0;
    expect([by('mms'), by('files'), by('swap'), by('folios')]).toEqual([1, 1, 0, 0]);
    const anon = bench('v6.6', [anonMap('buf')]);
    handleMmFault(anon.ctx, anon.w, anon.at('buf'), 'write');
    const f = anon.folio('buf');
    tryGrabFolio(anon.ctx, f, 1, FOLL_GET);
    pageoutVma(anon.ctx, anon.w, anon.vma('buf'));
    expect(expectedRefcount(anon.w, f.id)).toBe(1);
    expect(f.refcount).toBe(2);
  });
  it('counts only the permanent reference of the zero page, however often it is mapped', () => {
    const b = bench('v6.6', [anonMap('a'), anonMap('b')]);
    handleMmFault(b.ctx, b.w, b.at('a'), 'read');
    handleMmFault(b.ctx, b.w, b.at('b'), 'read');
    expect(expectedRefcount(b.w, b.w.zeroPage)).toBe(1);
    expect(expectedMapcount(b.w, b.w.zeroPage)).toBe(0);
  });
});
