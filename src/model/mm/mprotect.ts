import { EACCES, type KernelResult } from '../include/errno.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import type { Ctx } from '../core/ctx.js';
import { folioTestAnon } from './folio.js';
import { ownVmaAt, mkPte, type VmaRef } from './pgtable.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';

/**
 * mprotect_fixup() -> change_protection(): removing PROT_WRITE write-protects the entry; adding it
 * back leaves the entry read-only (the next write faults) except where can_change_pte_writable()
 * allows mapping it writable at once: an exclusive anonymous page (the "mprotect() optimization" of
 * mm/cow: v6.0 a dirty entry only, v6.2 a clean one too, policy mprotect.writeUpgrade), or a shared mapping that needs no write notification or whose entry is already dirty.
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
    // v6.0 to v6.1 also wanted the entry dirty (can_change_pte_writable() in the 6.1 tree).
    const rule = ctx.policies['mprotect.writeUpgrade'];
    upgrade =
      rule !== 'off' && (rule === 'exclusive-anon' || pte.dirty) && folioTestAnon(f) && f.flags.anonExclusive;
  }
  if (upgrade) vma.pte = mkPte(pte.folio, { writable: true, dirty: pte.dirty, huge: pte.huge });
  return 0;
}
