import { setFolioFlag, type OwnFolio, type OwnVma } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { folioAlloc } from '../folio.js';
import { mkPte } from '../pgtable.js';
import { folioFreeSwap, folioSwapcount } from '../swapfile.js';
import { ownFolio, ownSwapSlot, type Draft } from '../../core/cow.js';

/**
 * do_swap_page(): fault a swapped-out anonymous page back in. The folio comes from the swap cache, or
 * is read into a new one added to the swap cache. It is mapped read-only unless the fault proves it
 * exclusive (swapInExclusive()); a write fault that cannot map it writable goes on to do_wp_page()
 * (handle_mm_fault's caller does that).
 * MODEL: the swap cache copy is dropped as soon as no swap PTE references the slot. The kernel does so
 * only on a write fault, or when swap is full or the VMA mlocked (5.10 mm/memory.c:3509 and :3535;
 * should_try_to_free_swap(), 6.1 :3695, 6.12 :3922, 7.2 :4513, which 7.2 also answers yes for a
 * SWP_SYNCHRONOUS_IO device); after a read fault the folio stays cached until a write fault, reclaim or
 * its last unmap. The only difference is the cache's reference, which only do_wp_page()'s refcount
 * rule of v5.9..v5.17 reads: the kernel then copies on the next write where the model reuses, and
 * nothing else references the old page, so no outcome changes (ledger row do_swap_page). The kernel
 * maps an exclusive page writable only on a write fault in 6.1; 6.12 also does on a read fault, which
 * changes no later outcome here.
 * @kernel mm/memory.c:do_swap_page
 */
export function doSwapPage(ctx: Ctx, w: Draft, vma: OwnVma, write: boolean): void {
  const pte = vma.pte;
  if (pte.kind !== 'swap') return;
  const slot = ownSwapSlot(w, pte.slot);
  let f: OwnFolio;
  if (slot.cache !== null) {
    f = ownFolio(w, slot.cache);
    f.refcount += 1;
  } else {
    // swapin_readahead(): the allocation's reference becomes the mapping's; the swap cache takes one more.
    f = folioAlloc(w, 'small', 0, { type: 'anon' }, slot.data);
    setFolioFlag(f, 'swapcache', true);
    f.refcount += 1;
    slot.cache = f.id;
  }
  f.mapcount += 1;
  slot.count -= 1; // swap_free()
  folioFreeSwap(ctx, w, f);
  const exclusive = swapInExclusive(ctx, w, f, pte.exclusive, write);
  setFolioFlag(f, 'anonExclusive', exclusive && ctx.policies['cow.reuse'] === 'anon-exclusive');
  const dirty = write && exclusive;
  vma.pte = mkPte(f.id, { writable: dirty && vma.write, dirty: dirty, huge: false });
}

/**
 * May the swapped-in page be mapped as exclusive to this process? Since v5.19 the swap PTE's exclusive
 * bit says so (or, on a write fault, a refcount of 1 once the swap cache let go); before, only a write
 * fault asked, and reuse_swap_page() answered by mapcount + swap count, blind to GUP references (the
 * swap half of the COW security issue, fixed in v5.18).
 * @kernel mm/memory.c:do_swap_page, mm/swapfile.c:reuse_swap_page
 */
function swapInExclusive(ctx: Ctx, w: Draft, f: OwnFolio, pteExclusive: boolean, write: boolean): boolean {
  if (ctx.policies['cow.reuse'] === 'anon-exclusive') return pteExclusive || (write && f.refcount === 1);
  if (!write) return false;
  if (ctx.policies['cow.thpSwapReuse'] === 'mapcount') return f.mapcount + folioSwapcount(w, f) <= 1;
  return f.refcount === 1;
}
