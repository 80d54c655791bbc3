import type { OwnVma } from '../include/mm_types.js';
import type { Ctx } from '../core/ctx.js';
import { folioMaybeDmaPinned, folioPut, folioTestAnon, isAnyZeroFolio, swapSlotCaching } from './folio.js';
import { folioRemoveRmap, folioTryShareAnonRmap } from './rmap.js';
import { addToSwap, deleteFromSwapCache } from './swapfile.js';
import { ownFolio, ownSwapSlot, type Draft } from '../core/cow.js';

/**
 * MADV_PAGEOUT -> reclaim_pages() -> shrink_folio_list() for an anonymous folio mapped only here: add
 * it to the swap cache (from v5.11 not a folio that may be pinned and is not there yet, policy
 * reclaim.pinnedAnon), unmap it (try_to_unmap(), which first gives up exclusivity and refuses a
 * folio that may be pinned), and free it when the swap cache holds the last reference. A folio with
 * extra references (a GUP ref) stays in the swap cache. hugetlb is never swapped.
 * Returns whether the entry became a swap entry.
 * MODEL: swap-out I/O completes at once.
 * @kernel mm/vmscan.c:shrink_folio_list
 */
export function pageoutVma(ctx: Ctx, w: Draft, vma: OwnVma): boolean {
  const pte = vma.pte;
  if (pte.kind !== 'present' || vma.hugetlb) return false;
  const f = ownFolio(w, pte.folio);
  if (isAnyZeroFolio(f) || !folioTestAnon(f) || f.mapcount !== 1) return false;
  // try_to_unmap_one(): only an exclusive page has exclusivity to give up, and may be pinned.
  const exclusive = f.flags.anonExclusive;
  if (exclusive && folioTryShareAnonRmap(ctx, f) < 0) return false;
  const cached = swapSlotCaching(w, f.id);
  if (!cached && ctx.policies['reclaim.pinnedAnon'] === 'keep-pinned' && folioMaybeDmaPinned(f)) return false;
  const slot = cached ? ownSwapSlot(w, cached.id) : addToSwap(w, f);

  slot.data = f.data;
  slot.count += 1;
  vma.pte = { kind: 'swap', slot: slot.id, exclusive };
  folioRemoveRmap(f);
  folioPut(ctx, w, f);
  if (f.refcount === 1) deleteFromSwapCache(ctx, w, slot);
  return true;
}
