import { describe, expect, it } from 'vitest';
import { FOLL_GET } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { tryGrabFolio } from '../../../src/model/mm/gup.js';
import { hugetlbWp } from '../../../src/model/mm/hugetlb.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { doMunmap } from '../../../src/model/mm/mmap.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { HUGETLB, anonMap, bench } from '../builders.js';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';

describe('hugetlbWp', () => {
  it.each(RELEASES)(
    'reuses a page mapped once although a GUP reference holds it (mapcount rule, %s)',
    (r) => {
      const b = bench(r, [anonMap('buf', HUGETLB)]);
      handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
      const f = b.folio('buf');
      const child = dupMm(b.ctx, b.w, 0);
      tryGrabFolio(b.ctx, f, 1, FOLL_GET);
      doMunmap(b.ctx, b.w, b.at('buf', child));
      expect([f.mapcount, f.refcount]).toEqual([1, 2]);
      hugetlbWp(b.ctx, b.w, b.vma('buf'), 'write');
      expect(b.folio('buf').id).toBe(f.id);
      expect(b.vma('buf').pte).toMatchObject({ writable: true });
    },
  );
  it.each(RELEASES)('copies a page still mapped by a child (%s)', (r) => {
    const b = bench(r, [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    dupMm(b.ctx, b.w, 0);
    hugetlbWp(b.ctx, b.w, b.vma('buf'), 'write');
    const copy = b.folio('buf');
    expect(copy.id).not.toBe(f.id);
    expect([copy.kind, copy.order]).toEqual(['hugetlb', f.order]);
    expect(f.mapcount).toBe(1);
  });
  it('only makes the entry writable in a shared mapping', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB, true)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    hugetlbWp(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.vma('buf').pte).toMatchObject({ folio: f.id, writable: true });
  });
  it('leaves the entry read-only on an unshare fault', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    setFolioFlag(f, 'anonExclusive', false);
    hugetlbWp(b.ctx, b.w, b.vma('buf'), 'unshare');
    expect(b.vma('buf').pte).toMatchObject({ folio: f.id, writable: false });
    expect(f.flags.anonExclusive).toBe(true);
  });
});
