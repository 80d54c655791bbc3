import type { Bio, OwnBio } from '../include/blk_types.js';
import { fileIsMemoryBacked, type File } from '../include/fs.js';
import { setFolioFlag, type OwnFolio } from '../include/mm_types.js';
import { bioAlloc, bioAddFolio, bioPut, submitBio } from '../block/bio.js';
import { btrfsDataCsum, btrfsRecordCsum } from '../fs/btrfs-csum.js';
import { folioMaybeDmaPinned, folioMarkDirty, touchFreed } from './folio.js';
import { ownVmaAt, mkPte } from './pgtable.js';
import type { Policies } from '../profile/policies/index.js';
import type { Ctx } from '../core/ctx.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';
import { fileOf, folioOf, type World } from '../core/world.js';

/**
 * folio_mkclean(): walk the rmap and write-protect and clean every shared mapping of the folio, so the
 * next store faults (->page_mkwrite). Returns whether any entry was dirty.
 * @kernel mm/rmap.c:folio_mkclean
 */
function folioMkclean(w: Draft, f: OwnFolio): boolean {
  let dirty = false;
  for (const { id, alive } of w.mms) {
    if (!alive) continue;
    const vmas = w.mms[id]?.vmas ?? [];
    for (let v = 0; v < vmas.length; v++) {
      const pte = vmas[v]?.pte;
      if (!vmas[v]?.shared || pte?.kind !== 'present' || pte.folio !== f.id) continue;
      if (pte.dirty) dirty = true;
      ownVmaAt(w, { mm: id, vma: v }).pte = mkPte(pte.folio, {
        writable: false,
        dirty: false,
        huge: pte.huge,
      });
    }
  }
  return dirty;
}

/**
 * folio_clear_dirty_for_io(): under the folio lock, move dirty PTE bits into the folio (folio_mkclean),
 * then test-and-clear PG_dirty. Returns whether the folio was dirty.
 * @kernel mm/page-writeback.c:folio_clear_dirty_for_io
 */
function folioClearDirtyForIo(ctx: Ctx, w: Draft, f: OwnFolio): boolean {
  ctx.calls.push('folio_clear_dirty_for_io');
  if (folioMkclean(w, f)) folioMarkDirty(f);
  const was = f.flags.dirty;
  setFolioFlag(f, 'dirty', false);
  return was;
}

/**
 * The filesystem's ->writepages for one dirty folio it did not dirty itself (no buffers): ext4 hit
 * BUG_ON before v5.18; since then it warns and cleans the folio without writing it (its data is lost).
 * Returns whether the folio may be written.
 * @kernel fs/ext4/inode.c:mpage_prepare_extent_to_map
 */
function fsAcceptsFolio(ctx: Ctx, w: Draft, f: OwnFolio): boolean {
  if (f.owner.type !== 'file' || f.flags.buffers) return true;
  const file = ownFile(w, f.owner.file);
  if (file.fs !== 'ext4') return true;
  if (ctx.policies['ext4.noBuffers'] === 'bug') {
    ctx.events.push({ type: 'fs-bug', folio: f.id, fn: 'ext4_writepages' });
    return true;
  }
  ctx.calls.push('ext4_warning_inode');
  const index = f.owner.index;
  if (f.data !== (file.disk[index] ?? null))
    ctx.events.push({ type: 'lost-write', folio: f.id, file: file.id, index, data: f.data });
  return false;
}

/** The what-if wb.pinned=skip: writeback leaves a maybe-DMA-pinned folio dirty. */
function skipPinned(ctx: Ctx, f: OwnFolio): boolean {
  return ctx.policies['wb.pinned'] === 'skip' && folioMaybeDmaPinned(f);
}

/**
 * write_cache_pages() -> ->writepages for one folio, up to the submission: lock, clear_dirty_for_io
 * (and mkclean), folio_start_writeback, add to a bio, submit (computing integrity tags). The folio
 * keeps PG_writeback until the bio completes (folio_end_writeback).
 * MODEL: these happen under the folio lock, so page_mkwrite cannot come between them; the buffers
 * stay attached. Returns the write bio, or null when there was nothing to write.
 * @kernel mm/page-writeback.c:write_cache_pages
 */
export function writebackFolio(ctx: Ctx, w: Draft, f: OwnFolio): Bio | null {
  if (f.owner.type !== 'file' || f.flags.writeback || skipPinned(ctx, f)) return null;
  const owner = f.owner;
  if (!folioClearDirtyForIo(ctx, w, f)) return null;
  if (!fsAcceptsFolio(ctx, w, f)) return null;
  ctx.calls.push('folio_start_writeback');
  setFolioFlag(f, 'writeback', true);
  const bio = bioAlloc(w, 'write', owner.file, owner.index, 'writeback', null);
  bioAddFolio(bio, f.id, 'none');
  submitBio(ctx, w, bio);
  return bio;
}

/**
 * end_bio_bh_io_sync / iomap_finish_ioend: folio_end_writeback(). A failed write (integrity error)
 * leaves the folio clean with its data not on disk (mapping_set_error).
 * @kernel mm/filemap.c:folio_end_writeback
 */
export function writebackEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  ctx.calls.push('folio_end_writeback');
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (!touchFreed(ctx, f, 'put')) setFolioFlag(f, 'writeback', false);
  }
  bioPut(bio);
}

/**
 * Synchronous writeback of one folio (filemap_write_and_wait_range, reclaim's pageout): clean it and
 * put its data on disk now. MODEL: the I/O completes within the step.
 * @kernel mm/filemap.c:filemap_write_and_wait_range
 */
export function writebackFolioNow(ctx: Ctx, w: Draft, f: OwnFolio): void {
  if (f.owner.type !== 'file' || skipPinned(ctx, f)) return;
  const owner = f.owner;
  if (!folioClearDirtyForIo(ctx, w, f)) return;
  if (!fsAcceptsFolio(ctx, w, f)) return;
  const file = ownFile(w, owner.file);
  while (file.disk.length <= owner.index) file.disk.push('0');
  file.disk[owner.index] = f.data;
  // The checksum is computed from the same data the write stores: the block is consistent.
  if (btrfsDataCsum(file)) btrfsRecordCsum(file, owner.index, true);
}

/**
 * filemap_write_and_wait_range() over page `index` of `file` waits for writeback already in flight
 * (__filemap_fdatawait_range -> folio_wait_writeback on every folio tagged PAGECACHE_TAG_WRITEBACK), in
 * the 5.10, 6.1, 6.12 and 7.2 trees: true when a caller must wait now. The DIO flush
 * (kiocb_write_and_wait / kiocb_invalidate_pages, the NFS and ceph switch to direct mode), the remap
 * prep and punch hole all wait here.
 * @kernel mm/filemap.c:__filemap_fdatawait_range
 */
export function filemapWaitBlocks(w: World, file: File, index: number): boolean {
  const id = file.cache[index];
  return id !== undefined && id !== null && folioOf(w, id).flags.writeback;
}

/**
 * Whether an integrity writeback (WB_SYNC_ALL: fsync, filemap_write_and_wait_range) of `file` must wait
 * now: write_cache_pages() waits for a dirty folio that is still under writeback and then writes it
 * again (the 5.10 tree's mm/page-writeback.c:2258, 6.1 :2372; folio_prepare_writeback(), 6.12 :2455,
 * 7.2 :2400), where background writeback (WB_SYNC_NONE, the flusher) skips it. A mapping that cannot
 * write back (shmem, hugetlbfs) writes nothing (__filemap_fdatawrite_range(): mapping_can_writeback()).
 * MODEL: the whole file waits, where the kernel starts the folios before that one first.
 * @kernel mm/page-writeback.c:write_cache_pages
 */
export function syncWritebackBlocks(w: World, file: File): boolean {
  if (fileIsMemoryBacked(file)) return false;
  return file.cache.some((id) => {
    if (id === null) return false;
    const f = folioOf(w, id);
    return !f.freed && f.flags.dirty && f.flags.writeback;
  });
}

/** Page-cache folios the flusher may write back now: dirty, not under writeback, of a file with writeback. */
export function flusherChoices(w: World, policies: Policies | null): number[] {
  const out: number[] = [];
  for (const file of w.files) {
    if (fileIsMemoryBacked(file)) continue;
    for (const id of file.cache) {
      if (id === null) continue;
      const f = folioOf(w, id);
      if (f.freed || f.flags.writeback || !f.flags.dirty) continue;
      if (policies?.['wb.pinned'] === 'skip' && folioMaybeDmaPinned(f)) continue;
      out.push(id);
    }
  }
  return out;
}

/**
 * folio_wait_stable(): a writer of a mapping that needs stable pages must wait while the folio is
 * under writeback. True when a store to `folio` must wait now.
 * @kernel mm/page-writeback.c:folio_wait_stable
 */
export function folioWaitStableBlocks(w: World, folio: number): boolean {
  const f = w.folios[folio];
  if (!f || f.owner.type !== 'file' || !f.flags.writeback) return false;
  return fileOf(w, f.owner.file).stableWrites;
}
