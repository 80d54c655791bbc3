import {
  folioFlags,
  GUP_PIN_COUNTING_BIAS,
  setFolioFlag,
  type Folio,
  type FolioKind,
  type FolioOwner,
  type OwnFolio,
  type SwapSlot,
} from '../include/mm_types.js';
import { fresh } from '../include/own.js';
import type { Ctx } from '../core/ctx.js';
import type { Access } from '../core/events.js';
import { ownArray, ownSwapSlot, type Draft } from '../core/cow.js';
import type { World } from '../core/world.js';

const CLEAN_FLAGS = {
  dirty: false,
  writeback: false,
  locked: false,
  uptodate: true,
  anonExclusive: false,
  swapcache: false,
  lru: true,
  buffers: false,
} as const;

/**
 * Allocate a folio holding one reference (the caller's), as folio_alloc()/vma_alloc_folio() do.
 * @kernel include/linux/gfp.h:folio_alloc
 */
export function folioAlloc(
  w: Draft,
  kind: FolioKind,
  order: number,
  owner: FolioOwner,
  data: string,
): OwnFolio {
  const folio = fresh<Folio, OwnFolio>({
    id: w.folios.length,
    kind,
    order,
    refcount: 1,
    mapcount: 0,
    pincount: 0,
    flags: folioFlags({ ...CLEAN_FLAGS, lru: kind !== 'vmalloc' && kind !== 'slab' }),
    owner,
    data,
    freed: false,
  });
  ownArray(w, 'folios').push(folio);
  return folio;
}

/** folio_test_large(): more than one page. @kernel include/linux/page-flags.h:folio_test_large */
export function folioTestLarge(f: Folio): boolean {
  return f.order > 0;
}

/** folio_test_anon() @kernel include/linux/page-flags.h:folio_test_anon */
export function folioTestAnon(f: Folio): boolean {
  return f.owner.type === 'anon';
}

/**
 * is_zero_folio() || is_huge_zero_folio(): either zero page, mapped without a reference or rmap
 * (vm_normal_page() is NULL, zap_huge_pmd() special-cases the huge one) and never freed.
 * @kernel include/linux/mm.h:is_zero_folio, include/linux/huge_mm.h:is_huge_zero_folio
 */
export function isAnyZeroFolio(f: Folio): boolean {
  return f.kind === 'zero' || f.kind === 'huge-zero';
}

/**
 * is_zero_folio() in the kernel's own sense: only the shared (small) zero page (is_zero_pfn()). GUP's
 * "don't pin the zero page" rule tests this; the huge zero page is grabbed like any large folio.
 * @kernel include/linux/mm.h:is_zero_folio
 */
export function isZeroFolio(f: Folio): boolean {
  return f.kind === 'zero';
}

/**
 * folio_maybe_dma_pinned(): exact for large folios (_pincount); for small ones a refcount of at least
 * GUP_PIN_COUNTING_BIAS, which 1024 plain references also give (a false positive callers must accept).
 * @kernel include/linux/mm.h:folio_maybe_dma_pinned
 */
export function folioMaybeDmaPinned(f: Folio): boolean {
  if (folioTestLarge(f)) return f.pincount > 0;
  return f.refcount >= GUP_PIN_COUNTING_BIAS;
}

/**
 * The swap slot whose swap cache holds folio `id`, if any: the kernel reads it off the folio
 * (folio->swap); the model keeps the link on the slot only, so it searches the slots.
 */
export function swapSlotCaching(w: World, id: number): SwapSlot | undefined {
  return w.swap.find((s) => s.cache === id);
}

/** Report a touch of a folio that was already freed; true when it was. */
export function touchFreed(ctx: Ctx, f: Folio, access: Access): boolean {
  if (!f.freed) return false;
  ctx.events.push({ type: 'use-after-free', folio: f.id, access });
  return true;
}

/** folio_ref_add(): take n references. @kernel include/linux/page_ref.h:folio_ref_add */
export function folioRefAdd(ctx: Ctx, f: OwnFolio, n: number): void {
  touchFreed(ctx, f, 'grab');
  f.refcount += n;
}

/**
 * folio_put_refs(): drop n references; the last one frees the folio. Zero pages are never freed.
 * @kernel include/linux/mm.h:folio_put_refs
 */
export function folioPutRefs(ctx: Ctx, w: Draft, f: OwnFolio, n: number): void {
  if (touchFreed(ctx, f, 'put')) return;
  f.refcount -= n;
  if (f.refcount < 0) ctx.events.push({ type: 'counter-mismatch', folio: f.id, what: 'negative-refcount' });
  if (f.refcount <= 0 && !isAnyZeroFolio(f)) freeFolio(w, f);
}

/** folio_put() @kernel include/linux/mm.h:folio_put */
export function folioPut(ctx: Ctx, w: Draft, f: OwnFolio): void {
  folioPutRefs(ctx, w, f, 1);
}

/** __folio_put(): back to the allocator. MODEL: the id is never reused, so a later touch is visible. */
function freeFolio(w: Draft, f: OwnFolio): void {
  f.freed = true;
  f.flags = folioFlags({ ...CLEAN_FLAGS, uptodate: false, lru: false });
  f.owner = { type: 'none' };
  const slot = swapSlotCaching(w, f.id);
  if (slot) ownSwapSlot(w, slot.id).cache = null;
}

/**
 * folio_mark_dirty(): set PG_dirty (for page cache folios, through ->dirty_folio).
 * @kernel mm/page-writeback.c:folio_mark_dirty
 */
export function folioMarkDirty(f: OwnFolio): void {
  setFolioFlag(f, 'dirty', true);
}
