import { fileIsMemoryBacked, type FsType, type OwnFile } from '../include/fs.js';
import { setFolioFlag, type OwnVma } from '../include/mm_types.js';
import { folioMaybeDmaPinned, folioPut } from './folio.js';
import { zapPte } from './memory/zap.js';
import type { Ctx } from '../core/ctx.js';
import { writebackFolioNow } from './page-writeback.js';
import { ownFile, ownFolio, ownMm, type Draft } from '../core/cow.js';

/** What reclaim did with the folio. */
export type ReclaimResult =
  'not-cached' | 'not-lru' | 'writeback' | 'kept-pinned' | 'kept-dirty' | 'kept-referenced' | 'freed';

/**
 * Whether `fs` has ->writepage in this release (policy reclaim.fileWritepage). hugetlbfs has none in
 * any tree (hugetlbfs_aops: 5.10 fs/hugetlbfs/inode.c:1164, 6.1 :1284, 6.12 :1280, 7.2 :1192), and its
 * folios never reach pageout() anyway (shrinkFileFolio).
 */
export function hasWritepage(ctx: Ctx, fs: FsType): boolean {
  if (fs === 'shmem') return true; // swap-backed: shmem_writepage()/shmem_writeout()
  if (fs === 'hugetlbfs') return false;
  switch (ctx.policies['reclaim.fileWritepage']) {
    case 'all':
      return true;
    case 'no-xfs':
      return fs !== 'xfs';
    case 'no-xfs-btrfs':
      return fs !== 'xfs' && fs !== 'btrfs';
    case 'bdev-nfs-ceph':
      // MODEL: vfat leaves with ext4 here; the trees only bracket fat_writepage() (5.10 and 6.1
      // fs/fat/inode.c have it, 6.12 has none), so its own release between v6.2 and v6.12 is unread.
      return fs === 'bdev' || fs === 'nfs' || fs === 'ceph';
    case 'ceph':
      return fs === 'ceph';
    case 'none':
      return false;
  }
}

/**
 * shrink_folio_list() for one page-cache folio: skip it under writeback; unmap it from every process
 * (try_to_unmap, moving dirty PTE bits to the folio); from v6.4 (policy reclaim.pinnedFile) a folio
 * that may be DMA-pinned is then left as it is, dirty state and buffers too, since its pinner may still
 * write it and an unmapped folio cannot gain a new pin; a dirty folio is written (pageout) only when
 * nothing else holds it (is_page_cache_freeable: a GUP reference keeps it dirty) and its filesystem
 * still has ->writepage (policy reclaim.fileWritepage: xfs lost it in v5.15, ext4 in v6.2; without
 * it pageout() returns PAGE_ACTIVATE and the folio stays dirty, buffers and all); a clean one has its
 * buffers released (filemap_release_folio) even when referenced, then __remove_mapping frees it only
 * if the page cache holds the last reference. Clean data that never reached the disk is lost.
 * `from`: the `reclaim` operation is kswapd's pass that may write; MADV_PAGEOUT (reclaim_pages()) is
 * direct reclaim, which activates a dirty file-LRU folio instead of writing it.
 * A hugetlb folio is never reclaimed: the hugetlbfs page cache takes it without putting it on an LRU
 * list (5.10 mm/hugetlb.c:4316 huge_add_to_page_cache() calls add_to_page_cache(), not the _lru
 * variant; hugetlb_add_to_page_cache() calls __filemap_add_folio(), not filemap_add_folio(): 6.1
 * :5758, 6.12 :6052, 7.2 :5683), so the LRU scan (isolate_lru_pages(), 5.10 mm/vmscan.c:1660;
 * isolate_lru_folios(), 6.1 :2201, 6.12 :1672, 7.2 :1677) never hands it to shrink_folio_list(): it
 * stays mapped and cached ('not-lru').
 * MODEL: the LRU and the isolation reference are not modelled; pageout completes within the step.
 * @kernel mm/vmscan.c:shrink_folio_list
 */
export function shrinkFileFolio(
  ctx: Ctx,
  w: Draft,
  file: OwnFile,
  index: number,
  from: 'kswapd' | 'direct' = 'kswapd',
): ReclaimResult {
  const id = file.cache[index];
  if (id === null || id === undefined) {
    ctx.calls.push('shrink_folio_list');
    return 'not-cached';
  }
  const f = ownFolio(w, id);
  if (f.kind === 'hugetlb') return 'not-lru';
  ctx.calls.push('shrink_folio_list');
  if (f.flags.writeback || f.flags.locked) return 'writeback';
  for (const { id: mm, alive } of w.mms) {
    if (!alive) continue;
    for (const vma of ownMm(w, mm).vmas)
      if (vma.pte.kind === 'present' && vma.pte.folio === id) zapPte(ctx, w, vma);
  }
  if (ctx.policies['reclaim.pinnedFile'] === 'skip-pinned' && folioMaybeDmaPinned(f)) return 'kept-pinned';
  if (f.flags.dirty) {
    // Only kswapd writes a file-LRU folio (5.10 mm/vmscan.c:1337, 6.1 :1921, 6.12 :1360); shmem is
    // swap-backed, not file LRU, and is written from direct reclaim too.
    if (from === 'direct' && !fileIsMemoryBacked(file)) return 'kept-dirty';
    if (f.refcount !== 1 || !hasWritepage(ctx, file.fs)) return 'kept-dirty';
    ctx.calls.push('pageout');
    writebackFolioNow(ctx, w, f);
    if (f.flags.dirty) return 'kept-dirty';
  }
  if (f.flags.buffers) {
    ctx.calls.push('filemap_release_folio');
    setFolioFlag(f, 'buffers', false);
  }
  if (f.refcount !== 1) return 'kept-referenced';
  ctx.calls.push('__remove_mapping');
  const disk = file.disk[index] ?? null;
  if (f.data !== disk) ctx.events.push({ type: 'lost-write', folio: id, file: file.id, index, data: f.data });
  f.owner = { type: 'none' };
  file.cache[index] = null;
  folioPut(ctx, w, f);
  return 'freed';
}

/**
 * MADV_PAGEOUT on a page-cache folio this VMA maps and no other mapping does (madvise_cold_or_pageout_pte_range()
 * skips a folio mapped more than once: 5.10 mm/madvise.c:441 page_mapcount(), 6.12 :389
 * folio_likely_mapped_shared(), 7.2 :407 folio_maybe_mapped_shared()): reclaim_pages() gives it to
 * shrink_folio_list() as direct reclaim. Only for a file the caller could open for writing
 * (can_do_pageout(), 5.10 mm/madvise.c:533; can_do_file_pageout(), 6.12 :317, 7.2 :337).
 * MODEL: the caller owns every file it maps (inode_owner_or_capable()). Returns null when the entry
 * maps no such folio.
 * @kernel mm/madvise.c:madvise_cold_or_pageout_pte_range
 */
export function pageoutFileVma(ctx: Ctx, w: Draft, vma: OwnVma): ReclaimResult | null {
  const pte = vma.pte;
  if (pte.kind !== 'present') return null;
  const f = ownFolio(w, pte.folio);
  if (f.owner.type !== 'file' || f.mapcount !== 1) return null;
  return shrinkFileFolio(ctx, w, ownFile(w, f.owner.file), f.owner.index, 'direct');
}
