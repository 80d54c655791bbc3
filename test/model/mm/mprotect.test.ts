import { describe, expect, it } from 'vitest';
import { EACCES } from '../../../src/model/include/errno.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { mprotectFixup } from '../../../src/model/mm/mprotect.js';
import { mkPte } from '../../../src/model/mm/pgtable.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../../../src/model/profile/release.js';
import type { PageSpec } from '../../../src/model/engine/program.js';
import { HUGETLB, THP, anonMap, bench, fileMap, fileSpec } from '../builders.js';

describe('mprotectFixup', () => {
  it('write-protects the entry when PROT_WRITE is removed', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(mprotectFixup(b.ctx, b.w, b.at('buf'), true, false)).toBe(0);
    expect(b.vma('buf').write).toBe(false);
    expect(b.vma('buf').pte).toMatchObject({ writable: false, dirty: true });
  });
  // mprotect.writeUpgrade: off up to v5.19 (the 5.10 tree); v6.0 a dirty PTE only (the 6.1 tree's
  // can_change_pte_writable() tests pte_dirty() first, and change_huge_pmd() has no upgrade); v6.2 clean
  // PTEs and PMD-mapped THPs too (the 6.12 tree). hugetlb never (hugetlb_change_protection()).
  const era = (r: Release) =>
    releaseAtLeast(r, 'v6.2') ? 'any' : releaseAtLeast(r, 'v6.0') ? 'dirty-pte' : 'off';
  function reprotect(r: Release, page: PageSpec, clean: boolean) {
    const b = bench(r, [anonMap('buf', page)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, false);
    const pte = b.vma('buf').pte;
    // A clean exclusive anonymous entry, as do_swap_page() maps one after swap-in.
    if (clean && pte.kind === 'present')
      Object.assign(b.vma('buf'), {
        pte: mkPte(pte.folio, { writable: false, dirty: false, huge: pte.huge }),
      });
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    return b.vma('buf').pte;
  }
  it.each(RELEASES)('%s: a dirty exclusive anon PTE is mapped writable at once from v6.0', (r) => {
    expect(reprotect(r, { kind: 'base' }, false)).toMatchObject({ writable: era(r) !== 'off' });
  });
  it.each(RELEASES)('%s: a clean exclusive anon PTE is mapped writable at once from v6.2', (r) => {
    expect(reprotect(r, { kind: 'base' }, true)).toMatchObject({ writable: era(r) === 'any', dirty: false });
  });
  it.each(RELEASES)('%s: a PMD-mapped exclusive anon THP is mapped writable at once from v6.2', (r) => {
    const pte = reprotect(r, THP, false);
    expect(pte).toMatchObject({ huge: true, writable: era(r) === 'any' });
  });
  it.each(RELEASES)('%s: an exclusive anon hugetlb page stays read-only until a write fault', (r) => {
    expect(reprotect(r, HUGETLB, false)).toMatchObject({ writable: false });
  });
  it('keeps a page shared with a child read-only when PROT_WRITE comes back', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    dupMm(b.ctx, b.w, 0);
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, false);
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('keeps the zero page read-only when PROT_WRITE comes back', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('maps a shared shmem page writable, and a shared ext4 page only when its entry is dirty', () => {
    const shm = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    handleMmFault(shm.ctx, shm.w, shm.at('buf'), 'read');
    mprotectFixup(shm.ctx, shm.w, shm.at('buf'), true, false);
    mprotectFixup(shm.ctx, shm.w, shm.at('buf'), true, true);
    expect(shm.vma('buf').pte).toMatchObject({ writable: true });
    const ext4 = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    handleMmFault(ext4.ctx, ext4.w, ext4.at('buf'), 'read');
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, true);
    expect(ext4.vma('buf').pte).toMatchObject({ writable: false });
    handleMmFault(ext4.ctx, ext4.w, ext4.at('buf'), 'write');
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, false);
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, true);
    expect(ext4.vma('buf').pte).toMatchObject({ writable: true });
  });
  it('refuses PROT_WRITE on a mapping without VM_MAYWRITE with -EACCES', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    Object.assign(b.vma('buf'), { mayWrite: false });
    expect(mprotectFixup(b.ctx, b.w, b.at('buf'), true, true)).toBe(-EACCES);
  });
});
