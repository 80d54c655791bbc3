import { EBUSY, type KernelResult } from '../include/errno.js';
import {
  isCowMapping,
  setFolioFlag,
  type Folio,
  type Mm,
  type OwnFolio,
  type Vma,
} from '../include/mm_types.js';
import type { Ctx } from '../core/ctx.js';
import { folioMaybeDmaPinned } from './folio.js';

/**
 * folio_add_new_anon_rmap(): a freshly allocated anonymous folio gets its first mapping and is
 * exclusive to this mm (RMAP_EXCLUSIVE).
 * @kernel mm/rmap.c:folio_add_new_anon_rmap
 */
export function folioAddNewAnonRmap(ctx: Ctx, f: OwnFolio): void {
  f.owner = { type: 'anon' };
  f.mapcount += 1;
  setFolioFlag(f, 'anonExclusive', ctx.policies['cow.reuse'] === 'anon-exclusive');
}

/** folio_add_file_rmap_pte(s)/_pmd(), and page_dup_rmap() for non-anonymous folios. @kernel mm/rmap.c:folio_add_file_rmap_ptes */
export function folioAddFileRmap(f: OwnFolio): void {
  f.mapcount += 1;
}

/** folio_remove_rmap_pte(s)/_pmd() @kernel mm/rmap.c:folio_remove_rmap_ptes */
export function folioRemoveRmap(f: OwnFolio): void {
  f.mapcount -= 1;
}

/**
 * folio_needs_cow_for_dma() (page_needs_cow_for_dma before v6.x): fork must copy this folio now when
 * the parent has ever pinned (MMF_HAS_PINNED) and the folio may be pinned.
 * @kernel include/linux/mm.h:folio_needs_cow_for_dma
 */
export function folioNeedsCowForDma(vma: Vma, mm: Mm, f: Folio): boolean {
  if (!isCowMapping(vma)) return false;
  return mm.hasPinned && folioMaybeDmaPinned(f);
}

/**
 * folio_try_dup_anon_rmap_pte(s)/_pmd() (page_try_dup_anon_rmap, v5.19): fork shares an anonymous
 * folio with the child, unless it may be pinned, in which case fork must copy it (-EBUSY).
 * Before v5.19 (no PageAnonExclusive) the same early-COW test ran in copy_present_page() without
 * the exclusivity condition; which policy enables it is fork.copyPinned / fork.copyPinnedHugetlb.
 * @kernel include/linux/rmap.h:folio_try_dup_anon_rmap_ptes
 */
export function folioTryDupAnonRmap(
  ctx: Ctx,
  f: OwnFolio,
  srcVma: Vma,
  srcMm: Mm,
  copyPinned: boolean,
): KernelResult {
  const exclusiveKnown = ctx.policies['cow.reuse'] === 'anon-exclusive';
  const mayBeExclusive = !exclusiveKnown || f.flags.anonExclusive;
  if (copyPinned && mayBeExclusive && folioNeedsCowForDma(srcVma, srcMm, f)) return -EBUSY;
  setFolioFlag(f, 'anonExclusive', false);
  f.mapcount += 1;
  return 0;
}

/**
 * folio_try_share_anon_rmap_pte/_pmd(): before swap-out or migration unmaps an anonymous folio, it
 * stops being exclusive; refused (-EBUSY) when it may be pinned, since a pinned folio must stay
 * exclusive. Before v5.19 there is no exclusivity to give up and nothing is refused here.
 * @kernel include/linux/rmap.h:__folio_try_share_anon_rmap
 */
export function folioTryShareAnonRmap(ctx: Ctx, f: OwnFolio): KernelResult {
  if (ctx.policies['cow.reuse'] !== 'anon-exclusive') return 0;
  if (folioMaybeDmaPinned(f)) return -EBUSY;
  setFolioFlag(f, 'anonExclusive', false);
  return 0;
}
