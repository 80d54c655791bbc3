import { describe, expect, it } from 'vitest';
import { EFAULT } from '../../../src/model/include/errno.js';
import { FOLL_FORCE, FOLL_GET, FOLL_WRITE } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { getUserPages, tryGrabFolio } from '../../../src/model/mm/gup.js';
import { hugetlbWp } from '../../../src/model/mm/hugetlb.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { doMunmap } from '../../../src/model/mm/mmap.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../../../src/model/profile/release.js';
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

describe('FOLL_FORCE | FOLL_WRITE on a read-only private hugetlb mapping (policy hugetlb.forceWrite)', () => {
  // A read-only private hugetlb page shared with a child, grabbed the way ptrace pokes it.
  function poke(r: string) {
    const b = bench(r, [{ ...anonMap('buf', HUGETLB), write: false }]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const before = b.folio('buf').id;
    dupMm(b.ctx, b.w, 0);
    const g = getUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_FORCE);
    const pte = b.vma('buf').pte;
    return {
      ret: g.ret,
      copied: pte.kind === 'present' && pte.folio !== before,
      writable: pte.kind === 'present' && pte.writable,
    };
  }
  const era = (r: Release): 'writable' | 'refuse' | 'read-only' =>
    releaseAtLeast(r, 'v6.14') ? 'read-only' : releaseAtLeast(r, 'v6.0') ? 'refuse' : 'writable';
  it.each(RELEASES)('%s', (r) => {
    const expected = {
      writable: { ret: 1, copied: true, writable: true },
      refuse: { ret: -EFAULT, copied: false, writable: false },
      'read-only': { ret: 1, copied: true, writable: false },
    }[era(r)];
    expect(poke(r)).toEqual(expected);
  });
});
