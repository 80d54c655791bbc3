import { EAGAIN, EINVAL, type KernelResult } from '../include/errno.js';
import { HPAGE_PMD_ORDER, type OwnVma } from '../include/mm_types.js';
import type { Ctx } from '../core/ctx.js';
import { folioAlloc, folioPut, folioTestAnon, isAnyZeroFolio } from './folio.js';
import { folioAddNewAnonRmap, folioRemoveRmap } from './rmap.js';
import { mkPte } from './pgtable.js';
import { ownFolio, type Draft } from '../core/cow.js';

/**
 * is_refcount_suitable(): khugepaged copies a page only when every reference to it is a mapping, so
 * no GUP reference or pin can be left behind on the old page.
 * @kernel mm/khugepaged.c:is_refcount_suitable
 */
function isRefcountSuitable(refcount: number, mapcount: number, swapcache: boolean): boolean {
  return refcount === mapcount + (swapcache ? 1 : 0);
}

/**
 * madvise_collapse() -> collapse_huge_page() on private anonymous memory: copy the PTE-mapped pages
 * into a new PMD-sized THP mapped by a PMD in this mm only (exclusive: shared pages are allowed,
 * MADV_COLLAPSE ignores max_ptes_shared), and drop this mm's mapping of the old pages, which COW
 * sharers keep. Already PMD-mapped: nothing to do. A page with extra references cannot be collapsed
 * (-EAGAIN), nor, until v6.18, a range no PTE maps writable (SCAN_PAGE_RO: after fork() the parent's
 * PTEs are write-protected). MODEL: the area is the VMA's one entry; swapped-out or unpopulated
 * entries are not collapsed (-EINVAL stands for SCAN_PTE_NON_PRESENT).
 * @kernel mm/khugepaged.c:madvise_collapse
 */
export function madviseCollapse(ctx: Ctx, w: Draft, vma: OwnVma): KernelResult {
  if (vma.hugetlb || vma.shared || vma.backing.type !== 'anon' || vma.order !== HPAGE_PMD_ORDER)
    return -EINVAL; // hugepage_vma_check(): the VMA must be THP-eligible
  const pte = vma.pte;
  if (pte.kind !== 'present') return -EINVAL;
  if (pte.huge) return 0; // SCAN_PMD_MAPPED
  const old = ownFolio(w, pte.folio);
  if (isAnyZeroFolio(old) || !folioTestAnon(old)) return -EINVAL;
  if (!isRefcountSuitable(old.refcount, old.mapcount, old.flags.swapcache)) return -EAGAIN;
  // hpage_collapse_scan_pmd(), after its per-PTE checks: no writable PTE is SCAN_PAGE_RO, -EINVAL.
  if (!pte.writable && ctx.policies['madvise.collapseReadOnly'] === 'scan-page-ro') return -EINVAL;
  ctx.calls.push('collapse_huge_page');
  const thp = folioAlloc(w, 'thp', HPAGE_PMD_ORDER, { type: 'anon' }, old.data);
  folioAddNewAnonRmap(ctx, thp);
  // __collapse_huge_page_copy_succeeded(): the old pages lose this mapping and our reference.
  folioRemoveRmap(old);
  folioPut(ctx, w, old);
  vma.pte = mkPte(thp.id, { writable: vma.write, dirty: true, huge: true });
  return 0;
}
