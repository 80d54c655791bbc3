import { setFolioFlag, type Folio, type OwnFolio, type OwnVma } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { doPageMkwrite } from './page-mkwrite.js';
import { folioAlloc, folioPut, folioTestAnon, folioTestLarge, isAnyZeroFolio } from '../folio.js';
import { folioAddNewAnonRmap, folioRemoveRmap } from '../rmap.js';
import { folioFreeSwap, folioSwapcount } from '../swapfile.js';
import { ZERO_DATA } from '../filemap.js';
import { mkPte } from '../pgtable.js';
import { ownFolio, type Draft } from '../../core/cow.js';

/** A write fault makes the entry writable; an unshare fault (FAULT_FLAG_UNSHARE) only makes the page exclusive. */
export type WpKind = 'write' | 'unshare';

/**
 * wp_can_reuse_anon_folio() and its predecessors: may a write or unshare fault keep the mapped
 * anonymous folio instead of copying it? PageAnonExclusive first (v5.19); then a PTE-mapped large
 * folio follows cow.largeFolioReuse; a PMD-mapped THP follows cow.thpSwapReuse (do_huge_pmd_wp_page);
 * a small folio follows cow.reuse: mapcount (reuse_swap_page, before v5.9) or refcount (v5.9).
 * `huge`: the entry is a PMD mapping.
 * @kernel mm/memory.c:wp_can_reuse_anon_folio
 */
export function wpCanReuseAnonFolio(ctx: Ctx, w: Draft, f: OwnFolio, huge: boolean): boolean {
  const p = ctx.policies;
  if (p['cow.reuse'] === 'anon-exclusive' && f.flags.anonExclusive) return true;
  if (folioTestLarge(f) && !huge && p['cow.largeFolioReuse'] !== 'like-small') {
    return p['cow.largeFolioReuse'] === 'exclusive-mm' && wpCanReuseLargeAnonFolio(ctx, w, f);
  }
  const rule = huge ? p['cow.thpSwapReuse'] : p['cow.reuse'];
  if (rule === 'mapcount') return reuseSwapPage(ctx, w, f);
  // The swap cache's reference is tolerated (and the folio taken out of it) only since "COW fixes
  // part 1" (v5.18), the series that also made cow.thpSwapReuse refcount-based.
  return reuseByRefcount(ctx, w, f, p['cow.thpSwapReuse'] === 'refcount');
}

/**
 * __wp_can_reuse_large_anon_folio() (v6.15): reuse a PTE-mapped large folio only when this mm maps it
 * and every reference is a mapping. A folio still in the swap cache is first taken out of it
 * (folio_free_swap(), 7.2 mm/memory.c:4143), which fails while a swap entry (a forked child's) still
 * needs it: then the cache's reference stays and the folio is copied, or the child would swap in
 * the parent's new data. MODEL: a VMA maps a large folio as one entry, so "mapped only by this mm,
 * with no other reference" is mapcount == 1 and refcount == 1.
 * @kernel mm/memory.c:__wp_can_reuse_large_anon_folio
 */
function wpCanReuseLargeAnonFolio(ctx: Ctx, w: Draft, f: OwnFolio): boolean {
  if (f.mapcount !== 1) return false;
  folioFreeSwap(ctx, w, f);
  return f.refcount === 1;
}

/**
 * reuse_swap_page() (until v5.18): reuse when mappings plus swap entries are at most one, and then take
 * the folio out of the swap cache. GUP references are invisible to it: the CVE-2020-29374 leak.
 * @kernel mm/swapfile.c:reuse_swap_page
 */
function reuseSwapPage(ctx: Ctx, w: Draft, f: OwnFolio): boolean {
  if (f.mapcount + folioSwapcount(w, f) > 1) return false;
  folioFreeSwap(ctx, w, f);
  return true;
}

/**
 * The refcount rule of do_wp_page() (v5.9): reuse only when the mapping holds the only reference.
 * With `freeSwap` (v5.18), a folio whose only other reference is the swap cache's is first taken out
 * of it, when no swap entry still needs it.
 * @kernel mm/memory.c:wp_can_reuse_anon_folio
 */
function reuseByRefcount(ctx: Ctx, w: Draft, f: OwnFolio, freeSwap: boolean): boolean {
  if (!freeSwap) return f.refcount === 1;
  if (f.refcount > 1 + (f.flags.swapcache ? 1 : 0)) return false;
  folioFreeSwap(ctx, w, f);
  return f.refcount === 1;
}

/**
 * wp_page_reuse(): keep the folio; it is now exclusive. A write fault maps it writable and dirty,
 * an unshare fault leaves the entry read-only. Only VM_WRITE makes it writable (maybe_mkwrite()).
 * @kernel mm/memory.c:wp_page_reuse
 */
export function wpPageReuse(ctx: Ctx, vma: OwnVma, f: OwnFolio, kind: WpKind): void {
  const pte = vma.pte;
  if (pte.kind !== 'present') return;
  if (ctx.policies['cow.reuse'] === 'anon-exclusive') setFolioFlag(f, 'anonExclusive', true);
  if (kind === 'write') vma.pte = mkPte(pte.folio, { writable: vma.write, dirty: true, huge: pte.huge });
}

/**
 * wp_page_copy(): map a new exclusive anonymous copy (zero-filled when the old page was the zero
 * page), then drop the old mapping. A PMD-mapped THP is split first and only the faulting page is
 * copied. MODEL: the copy is one small folio standing for the copied page(s).
 * @kernel mm/memory.c:wp_page_copy
 */
export function wpPageCopy(ctx: Ctx, w: Draft, vma: OwnVma, kind: WpKind): Folio {
  const pte = vma.pte;
  if (pte.kind !== 'present') throw new Error('wpPageCopy: no present entry');
  const old = ownFolio(w, pte.folio);
  const hugetlb = vma.hugetlb;
  const copy = folioAlloc(
    w,
    hugetlb ? 'hugetlb' : 'small',
    hugetlb ? old.order : 0,
    { type: 'anon' },
    isAnyZeroFolio(old) ? ZERO_DATA : old.data,
  );
  folioAddNewAnonRmap(ctx, copy);
  vma.anonVma = true;
  // maybe_mkwrite(): a FOLL_FORCE write into a read-only private mapping copies but stays read-only.
  vma.pte = mkPte(copy.id, {
    writable: kind === 'write' && vma.write,
    dirty: kind === 'write',
    huge: hugetlb,
  });
  if (!isAnyZeroFolio(old)) {
    folioRemoveRmap(old);
    folioPut(ctx, w, old);
  }
  return copy;
}

/**
 * do_wp_page(): a write (or unshare) fault on a present, read-only entry. Shared mappings never COW
 * (wp_page_shared: ->page_mkwrite, then dirty); anonymous folios are reused when the profile's rule
 * proves them exclusive; everything else (zero page, page cache folio in a private mapping) is copied.
 * @kernel mm/memory.c:do_wp_page
 */
export function doWpPage(ctx: Ctx, w: Draft, vma: OwnVma, kind: WpKind): void {
  const pte = vma.pte;
  if (pte.kind !== 'present') return;
  const f = ownFolio(w, pte.folio);
  if (vma.shared) {
    // wp_page_shared()
    if (kind === 'unshare') return;
    doPageMkwrite(w, f);
    vma.pte = mkPte(pte.folio, { writable: true, dirty: true, huge: pte.huge });
    return;
  }
  if (folioTestAnon(f) && wpCanReuseAnonFolio(ctx, w, f, pte.huge)) {
    wpPageReuse(ctx, vma, f, kind);
    return;
  }
  wpPageCopy(ctx, w, vma, kind);
}
