import { describe, expect, it } from 'vitest';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import type { MappingSpec } from '../../../src/model/engine/program.js';
import { HUGETLB, anonMap, bench, fileSpec } from '../builders.js';

/** Before v6.0 copy_page_range() copied every VM_HUGETLB VMA (the 5.10 tree's mm/memory.c:1157). */
const copies = (r: string) => !releaseAtLeast(r as `v${number}.${number}`, 'v6.0');

describe('fork of a hugetlb VMA without anon_vma (policy fork.hugetlbTables)', () => {
  it.each(RELEASES)('shared anonymous hugetlb: the child gets the entry only before v6.0 (%s)', (r) => {
    const b = bench(r, [anonMap('buf', HUGETLB, true)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    const before = [f.refcount, f.mapcount];
    const child = dupMm(b.ctx, b.w, 0);
    const pte = b.vma('buf', child).pte;
    if (copies(r)) {
      // Shared: both entries stay writable; one more reference and mapping.
      expect(pte).toMatchObject({ kind: 'present', folio: f.id, writable: true, huge: true });
      expect([f.refcount, f.mapcount]).toEqual([before[0]! + 1, before[1]! + 1]);
    } else {
      expect(pte.kind).toBe('none');
      expect([f.refcount, f.mapcount]).toEqual(before);
      // The child's first touch finds the same page in the hugetlbfs page cache.
      handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
      expect(b.folio('buf', child).id).toBe(f.id);
    }
  });
  it.each(RELEASES)(
    'private memfd hugetlb read from the page cache: copied write-protected before v6.0 (%s)',
    (r) => {
      const map: MappingSpec = {
        name: 'buf',
        backing: { type: 'file', file: 0, pgoff: 0 },
        shared: false,
        page: HUGETLB,
        read: true,
        write: true,
      };
      const b = bench(r, [map], [fileSpec('m', 'hugetlbfs', 'F')]);
      handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
      const f = b.folio('buf');
      expect(f.owner.type).toBe('file');
      const child = dupMm(b.ctx, b.w, 0);
      const pte = b.vma('buf', child).pte;
      if (copies(r)) expect(pte).toMatchObject({ kind: 'present', folio: f.id, writable: false });
      else expect(pte.kind).toBe('none');
    },
  );
  it.each(RELEASES)('private anonymous hugetlb (anon_vma) is copied on every release (%s)', (r) => {
    const b = bench(r, [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    const child = dupMm(b.ctx, b.w, 0);
    expect(b.vma('buf', child).pte).toMatchObject({ kind: 'present', folio: f.id });
  });
});
