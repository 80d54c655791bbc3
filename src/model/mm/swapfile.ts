import {
  setFolioFlag,
  type Folio,
  type OwnFolio,
  type OwnSwapSlot,
  type SwapSlot,
} from '../include/mm_types.js';
import { fresh } from '../include/own.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownFolio, ownSwapSlot, type Draft } from '../core/cow.js';
import type { World } from '../core/world.js';
import { folioPut, swapSlotCaching } from './folio.js';

/**
 * add_to_swap() + add_to_swap_cache(): give an anonymous folio a swap slot and put it in the swap
 * cache, which holds one reference. The slot's contents are written at once.
 * MODEL: swap-out I/O is not a separate step; the slot holds the data as soon as it is allocated.
 * @kernel mm/swap_state.c:add_to_swap
 */
export function addToSwap(w: Draft, f: OwnFolio): OwnSwapSlot {
  const slot = fresh<SwapSlot, OwnSwapSlot>({ id: w.swap.length, data: f.data, count: 0, cache: f.id });
  ownArray(w, 'swap').push(slot);
  setFolioFlag(f, 'swapcache', true);
  f.refcount += 1;
  return slot;
}

/** delete_from_swap_cache(): the swap cache drops the folio and its reference. @kernel mm/swap_state.c:delete_from_swap_cache */
export function deleteFromSwapCache(ctx: Ctx, w: Draft, slot: OwnSwapSlot): void {
  if (slot.cache === null) return;
  const f = ownFolio(w, slot.cache);
  slot.cache = null;
  setFolioFlag(f, 'swapcache', false);
  folioPut(ctx, w, f);
}

/** swap_duplicate(): one more swap PTE references the slot (fork). @kernel mm/swapfile.c:swap_duplicate */
export function swapDuplicate(slot: OwnSwapSlot): void {
  slot.count += 1;
}

/**
 * free_swap_and_cache(): a swap PTE went away; when no PTE references the slot any more, the swap cache
 * copy is dropped too, unless a process still maps it (__try_to_reclaim_swap() with TTRS_UNMAPPED:
 * the 5.10 tree's mm/swapfile.c:1815 and :145, 6.1 :1647 and :150, 6.12 :1943 and :215, 7.2
 * swap_put_entries_cluster() :1631 and :236); that folio stays in the swap cache until a write fault
 * or reclaim frees it.
 * MODEL: swap is never full (TTRS_FULL, mem_cgroup_swap_full(), would drop a mapped one too).
 * @kernel mm/swapfile.c:free_swap_and_cache
 */
export function freeSwapAndCache(ctx: Ctx, w: Draft, slot: OwnSwapSlot): void {
  slot.count -= 1;
  if (slot.count !== 0 || slot.cache === null) return;
  if (ownFolio(w, slot.cache).mapcount > 0) return;
  deleteFromSwapCache(ctx, w, slot);
}

/**
 * folio_free_swap() (try_to_free_swap): once no swap PTE references the slot, the folio leaves the
 * swap cache (a write fault that reuses the folio does this).
 * @kernel mm/swapfile.c:folio_free_swap
 */
export function folioFreeSwap(ctx: Ctx, w: Draft, f: Folio): void {
  if (!f.flags.swapcache) return;
  const slot = swapSlotCaching(w, f.id);
  if (slot && slot.count === 0) deleteFromSwapCache(ctx, w, ownSwapSlot(w, slot.id));
}

/** The number of swap PTEs still referencing the slot of a folio in the swap cache (page_swapcount). */
export function folioSwapcount(w: World, f: Folio): number {
  if (!f.flags.swapcache) return 0;
  return w.swap.find((s) => s.cache === f.id)?.count ?? 0;
}
