import { describe, expect, it } from 'vitest';
import { FOLL_GET } from '../../../src/model/include/foll.js';
import { EAGAIN, EINVAL } from '../../../src/model/include/errno.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { tryGrabFolio } from '../../../src/model/mm/gup.js';
import { splitHugePmd } from '../../../src/model/mm/huge_memory.js';
import { madviseCollapse } from '../../../src/model/mm/khugepaged.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { mmOf } from '../../../src/model/core/world.js';
import { THP, anonMap, bench } from '../builders.js';

function pteMappedThp(release = 'v6.12') {
  const b = bench(release, [anonMap('buf', THP)]);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
  b.folio('buf').data = 'A';
  expect(splitHugePmd(b.w, b.vma('buf'))).toBe(true);
  return b;
}

describe('splitHugePmd', () => {
  it('PTE-maps a PMD-mapped THP and leaves the folio whole', () => {
    const b = pteMappedThp();
    const pte = b.vma('buf').pte;
    expect(pte.kind === 'present' && pte.huge).toBe(false);
    expect(b.folio('buf').order).toBe(9);
    expect(splitHugePmd(b.w, b.vma('buf'))).toBe(false);
  });
});

describe('madviseCollapse', () => {
  it('gives this mm a new exclusive PMD-mapped THP and leaves the old pages to a COW sharer (v6.18)', () => {
    const b = pteMappedThp('v6.18');
    const old = b.folio('buf');
    const child = dupMm(b.ctx, b.w, 0);
    expect(madviseCollapse(b.ctx, b.w, b.vma('buf'))).toBe(0);
    const thp = b.folio('buf');
    expect(thp.id).not.toBe(old.id);
    expect([thp.data, thp.order, thp.mapcount, thp.refcount, thp.flags.anonExclusive]).toEqual([
      'A',
      9,
      1,
      1,
      true,
    ]);
    expect([old.mapcount, old.refcount, old.freed]).toEqual([1, 1, false]);
    const childPte = mmOf(b.w, child).vmas[0]?.pte;
    expect(childPte?.kind === 'present' && childPte.folio).toBe(old.id);
  });
  it('before v6.18 refuses a range fork() write-protected (SCAN_PAGE_RO), not a writable one', () => {
    const b = pteMappedThp('v6.12');
    const old = b.folio('buf');
    dupMm(b.ctx, b.w, 0);
    expect(madviseCollapse(b.ctx, b.w, b.vma('buf'))).toBe(-EINVAL);
    expect(b.folio('buf').id).toBe(old.id);
    const unshared = pteMappedThp('v6.12');
    expect(madviseCollapse(unshared.ctx, unshared.w, unshared.vma('buf'))).toBe(0);
  });
  it('refuses a page with a reference that is not a mapping (a GUP reference)', () => {
    const b = pteMappedThp();
    tryGrabFolio(b.ctx, b.folio('buf'), 1, FOLL_GET);
    expect(madviseCollapse(b.ctx, b.w, b.vma('buf'))).toBe(-EAGAIN);
  });
  it('does nothing to a PMD mapping, and refuses memory that is not THP-eligible', () => {
    const b = bench('v6.12', [anonMap('buf', THP), anonMap('small')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    handleMmFault(b.ctx, b.w, b.at('small'), 'write');
    const f = b.folio('buf');
    expect(madviseCollapse(b.ctx, b.w, b.vma('buf'))).toBe(0);
    expect(b.folio('buf').id).toBe(f.id);
    expect(madviseCollapse(b.ctx, b.w, b.vma('small'))).toBe(-EINVAL);
  });
});
