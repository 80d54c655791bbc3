import { EACCES, type KernelResult } from '../include/errno.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import type { Ctx } from '../core/ctx.js';
import { folioTestAnon } from './folio.js';
import { ownVmaAt, mkPte, type VmaRef } from './pgtable.js';
import type { Pte, Vma } from '../include/mm_types.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';

/**
 * can_change_pte_writable() (PTEs) and can_change_pmd_writable() (PMD-mapped THPs) for a private
 * mapping: whether mprotect(PROT_WRITE) may map an exclusive anonymous page writable at once, as the
 * write-fault handler would. Per mprotect.writeUpgrade: never up to v5.19 (the 5.10 tree upgrades only
 * dirty-accounted shared entries); from v6.0 a PTE that is already dirty (the 6.1 tree tests
 * pte_dirty() first, and change_huge_pmd() there has no upgrade); from v6.2 clean entries and PMDs
 * too (the 6.12 and 7.2 trees). hugetlb_change_protection() never upgrades: it only applies the new
 * protection, which for a private mapping has no write bit (all four trees).
 * @kernel mm/mprotect.c:can_change_pte_writable
 */
function privateUpgrade(ctx: Ctx, vma: Vma, pte: Pte & { kind: 'present' }, anonExclusive: boolean): boolean {
  if (!anonExclusive || vma.hugetlb) return false;
  switch (ctx.policies['mprotect.writeUpgrade']) {
    case 'off':
      return false;
    case 'exclusive-anon-dirty':
      return pte.dirty && !pte.huge;
    case 'exclusive-anon':
      return true;
  }
}

/**
 * mprotect_fixup() -> change_protection(): removing PROT_WRITE write-protects the entry; adding it
 * back leaves the entry read-only (the next write faults) except where can_change_pte_writable()
 * allows mapping it writable at once: an exclusive anonymous page (the "mprotect() optimization" of
 * mm/cow, privateUpgrade()), or a shared mapping that needs no write notification or whose entry is
 * already dirty.
 * @kernel mm/mprotect.c:change_pte_range
 */
export function mprotectFixup(ctx: Ctx, w: Draft, at: VmaRef, read: boolean, write: boolean): KernelResult {
  const vma = ownVmaAt(w, at);
  if (write && !vma.mayWrite) return -EACCES;
  vma.read = read;
  vma.write = write;
  const pte = vma.pte;
  if (pte.kind !== 'present') return 0;
  if (!write) {
    vma.pte = mkPte(pte.folio, { writable: false, dirty: pte.dirty, huge: pte.huge });
    return 0;
  }
  const f = ownFolio(w, pte.folio);
  let upgrade: boolean;
  if (vma.shared) {
    upgrade = vma.backing.type === 'file' && (fileIsMemoryBacked(ownFile(w, vma.backing.file)) || pte.dirty);
  } else {
    upgrade = privateUpgrade(ctx, vma, pte, folioTestAnon(f) && f.flags.anonExclusive);
  }
  if (upgrade) vma.pte = mkPte(pte.folio, { writable: true, dirty: pte.dirty, huge: pte.huge });
  return 0;
}
