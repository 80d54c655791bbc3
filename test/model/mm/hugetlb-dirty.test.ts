import { describe, expect, it } from 'vitest';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { mkPte } from '../../../src/model/mm/pgtable.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import type { MappingSpec } from '../../../src/model/engine/program.js';
import { HUGETLB, bench, fileSpec, fileMap } from '../builders.js';

const hugetlbMap = (name: string, shared: boolean): MappingSpec => fileMap(name, 0, shared, true, HUGETLB);

const FILE = [fileSpec('f', 'hugetlbfs', 'A')];

/**
 * A writable hugetlb entry is dirty. make_huge_pte() dirties every entry it makes writable (5.10.262
 * mm/hugetlb.c:3778, 6.1.176 :4984, 6.12.117 :5191, 7.2.13 :4846), which hugetlb_no_page() asks for on
 * a shared VM_WRITE mapping even on a read fault (5.10 :4483, 6.1 :5998, 6.12 :6274, 7.2 :5903); and
 * hugetlb_fault() dirties a writable entry on a write fault (huge_pte_mkdirty(): 5.10 :4668, 6.1 :6210,
 * 6.12 :6514, 7.2 :6141), as handle_pte_fault() does with pte_mkdirty(). The model left both clean.
 */
describe('hugetlb: a writable entry is dirty', () => {
  it.each(RELEASES)('a read fault on a shared writable mapping maps it writable and dirty (%s)', (r) => {
    const b = bench(r, [hugetlbMap('buf', true)], FILE);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', writable: true, dirty: true, huge: true });
  });
  it.each(RELEASES)('a first write fault on a shared mapping maps it dirty (%s)', (r) => {
    const b = bench(r, [hugetlbMap('buf', true)], FILE);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', writable: true, dirty: true, huge: true });
  });
  it.each(RELEASES)('a read-only shared mapping gets a clean read-only entry (%s)', (r) => {
    const b = bench(r, [{ ...hugetlbMap('buf', true), write: false }], FILE);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', writable: false, dirty: false, huge: true });
  });
  it.each(RELEASES)('a write fault on a clean writable entry dirties it, the same folio (%s)', (r) => {
    const b = bench(r, [hugetlbMap('buf', true)], FILE);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    const clean = mkPte(f.id, { writable: true, dirty: false, huge: true });
    b.vma('buf').pte = clean;
    // A load or an unshare fault changes nothing.
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'unshare')).toBe(0);
    expect(b.vma('buf').pte).toEqual(clean);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    expect(b.vma('buf').pte).toEqual(mkPte(f.id, { writable: true, dirty: true, huge: true }));
    expect(b.ctx.calls).toEqual(['hugetlb_no_page']);
  });
  it.each(RELEASES)('a private mapping stays read-only and clean until its write fault (%s)', (r) => {
    const b = bench(r, [hugetlbMap('buf', false)], FILE);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(b.vma('buf').pte).toMatchObject({ writable: false, dirty: false });
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: true });
  });
});
