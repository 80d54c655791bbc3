import type { OwnVma } from '../include/mm_types.js';
import { mkPte } from './pgtable.js';
import { ownFolio, type Draft } from '../core/cow.js';

/**
 * __split_huge_pmd(): a PMD-mapped anonymous THP becomes PTE-mapped, as a partial mprotect(),
 * mremap() or MADV_DONTNEED of it does (cow.c's "PTE-mapped THP" runs mprotect() one subpage R/O and
 * back). The folio stays whole; each subpage keeps its exclusivity. Hugetlb and the huge zero page
 * are left alone. MODEL: the entry keeps mapping the folio as one unit (see Vma), now by PTEs.
 * @kernel mm/huge_memory.c:__split_huge_pmd
 */
export function splitHugePmd(w: Draft, vma: OwnVma): boolean {
  const pte = vma.pte;
  if (pte.kind !== 'present' || !pte.huge || vma.hugetlb) return false;
  if (ownFolio(w, pte.folio).kind !== 'thp') return false;
  vma.pte = mkPte(pte.folio, { writable: pte.writable, dirty: pte.dirty, huge: false });
  return true;
}
