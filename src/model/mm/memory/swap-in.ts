import type { Folio, Vma } from '../../include/mm_types.js';
import type { Ctx } from '../../sim/ctx.js';
import { folioOf, type World } from '../../sim/world.js';
import { folioAlloc } from '../folio.js';
import { presentPte } from '../pgtable.js';
import { folioFreeSwap, swapSlot } from '../swapfile.js';

/**
 * do_swap_page(): fault a swapped-out anonymous page back in. The folio comes from the swap cache, or
 * is read into a new one added to the swap cache. Since v5.19 the swap PTE's exclusive bit restores
 * PageAnonExclusive. Mapped read-only; a write fault on an exclusive page maps it writable at once,
 * otherwise the caller goes on to do_wp_page().
 * MODEL: the swap cache copy is dropped as soon as no swap PTE references the slot.
 * @kernel mm/memory.c:do_swap_page
 */
export function doSwapPage(ctx: Ctx, w: World, vma: Vma, write: boolean): void {
  const pte = vma.pte;
  if (pte.kind !== 'swap') return;
  const slot = swapSlot(w, pte.slot);
  let f: Folio;
  if (slot.cache !== null) {
    f = folioOf(w, slot.cache);
    f.refcount += 1;
  } else {
    // swapin_readahead(): the allocation's reference becomes the mapping's; the swap cache takes one more.
    f = folioAlloc(w, 'small', 0, { type: 'anon' }, slot.data);
    f.flags.swapcache = true;
    f.refcount += 1;
    slot.cache = f.id;
  }
  f.mapcount += 1;
  const exclusive = ctx.policies['cow.reuse'] === 'anon-exclusive' && pte.exclusive;
  f.flags.anonExclusive = exclusive;
  slot.count -= 1;
  folioFreeSwap(ctx, w, f);
  vma.pte = presentPte(f.id, write && exclusive, write && exclusive, false);
}
