import { EBUSY } from '../../include/errno.js';
import type { Mm, OwnVma } from '../../include/mm_types.js';
import { PTE_NONE } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { folioAlloc, folioTestAnon, isAnyZeroFolio } from '../folio.js';
import { mkPte } from '../pgtable.js';
import { folioAddFileRmap, folioAddNewAnonRmap, folioTryDupAnonRmap } from '../rmap.js';
import { swapDuplicate } from '../swapfile.js';
import { ownFolio, ownSwapSlot, type Draft } from '../../core/cow.js';

/**
 * copy_present_page(): fork's early COW. The child gets its own exclusive copy now, because the
 * parent's page may be pinned for DMA; the parent's entry is left as it was (still writable).
 * @kernel mm/memory.c:copy_present_page
 */
function copyPresentPage(ctx: Ctx, w: Draft, dst: OwnVma, src: OwnVma): void {
  const pte = src.pte;
  if (pte.kind !== 'present') return;
  const old = ownFolio(w, pte.folio);
  const copy = folioAlloc(
    w,
    src.hugetlb ? 'hugetlb' : 'small',
    src.hugetlb ? old.order : 0,
    { type: 'anon' },
    old.data,
  );
  folioAddNewAnonRmap(ctx, copy);
  dst.pte = mkPte(copy.id, { writable: dst.write, dirty: true, huge: src.hugetlb });
}

/**
 * copy_present_pte() / copy_huge_pmd() / copy_hugetlb_page_range() for one entry: share the folio with
 * the child (one more reference and mapping, both entries write-protected in a COW mapping), unless
 * folio_try_dup_anon_rmap() says it may be pinned and must be copied now. A pinned PMD-mapped THP is
 * split first and copied page by page (MODEL: the copy is one small folio).
 * @kernel mm/memory.c:copy_present_pte
 */
export function copyPresentPte(ctx: Ctx, w: Draft, dst: OwnVma, src: OwnVma, srcMm: Mm): void {
  const pte = src.pte;
  if (pte.kind !== 'present') return;
  const f = ownFolio(w, pte.folio);
  const cow = !src.shared && src.mayWrite;
  if (folioTestAnon(f)) {
    const policy = src.hugetlb ? ctx.policies['fork.copyPinnedHugetlb'] : ctx.policies['fork.copyPinned'];
    if (folioTryDupAnonRmap(ctx, f, src, srcMm, policy === 'copy') === -EBUSY) {
      // copy_huge_pmd() splits the parent's PMD first: the pinned THP stays, PTE-mapped.
      if (pte.huge && !src.hugetlb)
        src.pte = mkPte(pte.folio, { writable: pte.writable, dirty: pte.dirty, huge: false });
      copyPresentPage(ctx, w, dst, src);
      return;
    }
    f.refcount += 1;
  } else if (!isAnyZeroFolio(f)) {
    f.refcount += 1;
    folioAddFileRmap(f);
  }
  const writable = pte.writable && !cow;
  if (cow && pte.writable) src.pte = mkPte(pte.folio, { writable: false, dirty: pte.dirty, huge: pte.huge }); // ptep_set_wrprotect()
  // The child's entry is old; it is clean in a shared mapping (the parent keeps the dirty bit).
  dst.pte = mkPte(pte.folio, { writable: writable, dirty: cow && pte.dirty, huge: pte.huge });
}

/**
 * copy_nonpresent_pte() for a swap entry: the child references the same slot; the entry is no longer
 * exclusive in either process.
 * @kernel mm/memory.c:copy_nonpresent_pte
 */
export function copyNonpresentPte(w: Draft, dst: OwnVma, src: OwnVma): void {
  const pte = src.pte;
  if (pte.kind !== 'swap') {
    dst.pte = PTE_NONE;
    return;
  }
  swapDuplicate(ownSwapSlot(w, pte.slot));
  src.pte = { kind: 'swap', slot: pte.slot, exclusive: false };
  dst.pte = src.pte;
}
