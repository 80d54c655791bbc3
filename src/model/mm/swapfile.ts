import { setFolioFlag, type Folio, type SwapSlot } from '../include/mm_types.js';
import type { Ctx } from '../sim/ctx.js';
import { ownArray, ownElement } from '../sim/cow.js';
import { bug, folioOf, type World } from '../sim/world.js';
import { folioPut } from './folio.js';

export function swapSlot(w: World, id: number): SwapSlot {
  return ownElement(w, 'swap', id) ?? bug('swapSlot', `no swap slot ${id}`);
}

/**
 * The swap slot whose swap cache holds folio `id`, if any: the kernel reads it off the folio
 * (folio->swap); the model keeps the link on the slot only, so it searches the slots.
 */
export function swapSlotCaching(w: World, id: number): SwapSlot | undefined {
  const i = w.swap.findIndex((s) => s.cache === id);
  return i < 0 ? undefined : swapSlot(w, i);
}

/**
 * add_to_swap() + add_to_swap_cache(): give an anonymous folio a swap slot and put it in the swap
 * cache, which holds one reference. The slot's contents are written at once.
 * MODEL: swap-out I/O is not a separate step; the slot holds the data as soon as it is allocated.
 * @kernel mm/swap_state.c:add_to_swap
 */
export function addToSwap(w: World, f: Folio): SwapSlot {
  const slot: SwapSlot = { id: w.swap.length, data: f.data, count: 0, cache: f.id };
  ownArray(w, 'swap').push(slot);
  setFolioFlag(f, 'swapcache', true);
  f.refcount += 1;
  return slot;
}

/** delete_from_swap_cache(): the swap cache drops the folio and its reference. @kernel mm/swap_state.c:delete_from_swap_cache */
export function deleteFromSwapCache(ctx: Ctx, w: World, slot: SwapSlot): void {
  if (slot.cache === null) return;
  const f = folioOf(w, slot.cache);
  slot.cache = null;
  setFolioFlag(f, 'swapcache', false);
  folioPut(ctx, w, f);
}

/** swap_duplicate(): one more swap PTE references the slot (fork). @kernel mm/swapfile.c:swap_duplicate */
export function swapDuplicate(slot: SwapSlot): void {
  slot.count += 1;
}

/**
 * free_swap_and_cache(): a swap PTE went away; when no PTE references the slot any more, the swap cache
 * copy is dropped too.
 * @kernel mm/swapfile.c:free_swap_and_cache
 */
export function freeSwapAndCache(ctx: Ctx, w: World, slot: SwapSlot): void {
  slot.count -= 1;
  if (slot.count === 0) deleteFromSwapCache(ctx, w, slot);
}

/**
 * folio_free_swap() (try_to_free_swap): once no swap PTE references the slot, the folio leaves the
 * swap cache (a write fault that reuses the folio does this).
 * @kernel mm/swapfile.c:folio_free_swap
 */
export function folioFreeSwap(ctx: Ctx, w: World, f: Folio): void {
  if (!f.flags.swapcache) return;
  const slot = swapSlotCaching(w, f.id);
  if (slot && slot.count === 0) deleteFromSwapCache(ctx, w, slot);
}

/** The number of swap PTEs still referencing the slot of a folio in the swap cache (page_swapcount). */
export function folioSwapcount(w: World, f: Folio): number {
  if (!f.flags.swapcache) return 0;
  return w.swap.find((s) => s.cache === f.id)?.count ?? 0;
}
