import type { FsType, OwnFile } from '../include/fs.js';
import { setFolioFlag } from '../include/mm_types.js';
import { folioMaybeDmaPinned, folioPut } from './folio.js';
import { zapPte } from './memory/zap.js';
import type { Ctx } from '../core/ctx.js';
import { writebackFolioNow } from './page-writeback.js';
import { ownFolio, ownMm, type Draft } from '../core/cow.js';

/** What reclaim did with the folio. */
export type ReclaimResult =
  'not-cached' | 'writeback' | 'kept-pinned' | 'kept-dirty' | 'kept-referenced' | 'freed';

/** Whether `fs` has ->writepage in this release (policy reclaim.fileWritepage). */
export function hasWritepage(ctx: Ctx, fs: FsType): boolean {
  if (fs === 'shmem' || fs === 'hugetlbfs') return true; // swap-backed: shmem_writepage()/shmem_writeout()
  switch (ctx.policies['reclaim.fileWritepage']) {
    case 'all':
      return true;
    case 'no-xfs':
      return fs !== 'xfs';
    case 'no-xfs-btrfs':
      return fs !== 'xfs' && fs !== 'btrfs';
    case 'bdev-nfs-ceph':
      return fs === 'bdev' || fs === 'nfs' || fs === 'ceph';
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
 * still has ->writepage (policy reclaim.fileWritepage: xfs lost it in v5.15, ext4 in v6.3; without
 * it pageout() returns PAGE_ACTIVATE and the folio stays dirty, buffers and all); a clean one has its
 * buffers released (filemap_release_folio) even when referenced, then __remove_mapping frees it only
 * if the page cache holds the last reference. Clean data that never reached the disk is lost.
 * MODEL: the LRU and the isolation reference are not modelled; pageout completes within the step.
 * @kernel mm/vmscan.c:shrink_folio_list
 */
export function shrinkFileFolio(ctx: Ctx, w: Draft, file: OwnFile, index: number): ReclaimResult {
  ctx.calls.push('shrink_folio_list');
  const id = file.cache[index];
  if (id === null || id === undefined) return 'not-cached';
  const f = ownFolio(w, id);
  if (f.flags.writeback || f.flags.locked) return 'writeback';
  for (const { id: mm, alive } of w.mms) {
    if (!alive) continue;
    for (const vma of ownMm(w, mm).vmas)
      if (vma.pte.kind === 'present' && vma.pte.folio === id) zapPte(ctx, w, vma);
  }
  if (ctx.policies['reclaim.pinnedFile'] === 'skip-pinned' && folioMaybeDmaPinned(f)) return 'kept-pinned';
  if (f.flags.dirty) {
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
