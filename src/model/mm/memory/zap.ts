import type { OwnVma } from '../../include/mm_types.js';
import { PTE_NONE } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { folioMarkDirty, folioPut, folioTestAnon, isAnyZeroFolio } from '../folio.js';
import { folioRemoveRmap } from '../rmap.js';
import { freeSwapAndCache } from '../swapfile.js';
import { ownFolio, ownSwapSlot, type Draft } from '../../core/cow.js';

/**
 * zap_pte_range() for the VMA's one entry (munmap, MADV_DONTNEED, exit): a dirty PTE of a file
 * folio moves its dirty bit to the folio, the mapping's reference is dropped, a swap entry frees its
 * slot.
 * @kernel mm/memory.c:zap_pte_range
 */
export function zapPte(ctx: Ctx, w: Draft, vma: OwnVma): void {
  const pte = vma.pte;
  vma.pte = PTE_NONE;
  if (pte.kind === 'swap') {
    freeSwapAndCache(ctx, w, ownSwapSlot(w, pte.slot));
    return;
  }
  if (pte.kind !== 'present') return;
  const f = ownFolio(w, pte.folio);
  if (isAnyZeroFolio(f)) return; // vm_normal_page() is NULL: no rmap, no reference
  if (pte.dirty && !folioTestAnon(f)) folioMarkDirty(f);
  folioRemoveRmap(f);
  folioPut(ctx, w, f);
}
