import type { Dio, DioPath, OwnBio, OwnDio } from '../include/blk_types.js';
import { fresh } from '../include/own.js';
import { EIO, EIOCBQUEUED } from '../include/errno.js';
import { fileSizeExtend } from '../include/fs.js';
import { bioCheckPagesDirty, bioPut, bioReleasePages, bioSetPagesDirty, submitBio } from '../block/bio.js';
import type { IovIter } from '../include/uio.js';
import { userBackedIter } from '../lib/iov_iter.js';
import type { Ctx } from '../core/ctx.js';
import { filemapWaitBlocks, writebackFolioNow } from '../mm/page-writeback.js';
import { invalidateInodePages2 } from '../mm/truncate.js';
import { ownArray, ownBio, ownDio, ownFile, ownFolio, type Draft } from '../core/cow.js';
import { bioOf, dioOf, fileOf, type World } from '../core/world.js';

/** What a direct-I/O caller asks for: `op` of page `index` of `file` through `iter`. */
export interface DioRequest {
  readonly path: DioPath;
  readonly op: 'read' | 'write';
  readonly async: boolean;
  readonly iter: IovIter;
  readonly file: number;
  readonly index: number;
  readonly actor: number;
  readonly name: string;
  /** For a read into user memory: the caller's process and buffer (what lost-dio-data checks). */
  readonly mm: number | null;
  readonly buf: string | null;
}

/** What submission returned: -errno, -EIOCBQUEUED (async), or 0 for a sync request to wait for. */
export interface DioSubmitted {
  readonly ret: number;
  readonly dio: number | null;
}

/**
 * should_dirty / DIO_SHOULD_DIRTY / IOMAP_DIO_DIRTY: a read into a user-backed iterator. The what-if
 * dio.redirty=none drops it (no pre-dirtying, no check, no dirtying on release).
 * @kernel block/fops.c:__blkdev_direct_IO_simple
 */
export function dioShouldDirty(ctx: Ctx, iter: IovIter): boolean {
  return iter.dest && userBackedIter(iter) && ctx.policies['dio.redirty'] === 'check-dirty';
}

/** Allocate the direct-I/O control block. */
export function dioAlloc(w: Draft, req: DioRequest, shouldDirty: boolean): OwnDio {
  const dio = fresh<Dio, OwnDio>({
    id: w.dios.length,
    path: req.path,
    op: req.op,
    async: req.async,
    shouldDirty,
    bios: [],
    pending: 0,
    done: false,
    ret: null,
    invalidate: false,
    actor: req.actor,
    name: req.name,
    mm: req.mm,
    buf: req.buf,
  });
  ownArray(w, 'dios').push(dio);
  return dio;
}

/**
 * Whether a direct I/O of page `index` of file `file` must wait before it is submitted: its flush
 * (filemap_write_and_wait_range, from kiocb_write_and_wait / kiocb_invalidate_pages, or
 * generic_file_read_iter / generic_file_direct_write and iomap_dio_rw's own call in 5.10; NFS and ceph
 * through nfs_sync_mapping / ceph_start_io_direct) waits for a writeback already in flight, so the
 * device never serves the direct I/O before the writeback's data (every path, every release read).
 * @kernel mm/filemap.c:kiocb_write_and_wait
 */
export function dioFlushBlocks(w: World, file: number, index: number): boolean {
  return filemapWaitBlocks(w, fileOf(w, file), index);
}

/**
 * kiocb_write_and_wait() before a direct read, kiocb_invalidate_pages() before a direct write: the page
 * cache over the range is written back so the device has the latest data, and for a write the page
 * then leaves the cache (invalidate_inode_pages2_range()), so that nobody reads it stale afterwards.
 * MODEL: the writeback is synchronous and part of the submission step; a writeback already in flight
 * was waited for before the step (dioFlushBlocks).
 * @kernel mm/filemap.c:kiocb_write_and_wait
 */
export function dioFlushCache(ctx: Ctx, w: Draft, req: DioRequest): void {
  const file = ownFile(w, req.file);
  const id = file.cache[req.index];
  if (id === undefined || id === null) return;
  const f = ownFolio(w, id);
  if (f.flags.dirty && !f.flags.writeback) writebackFolioNow(ctx, w, f);
  if (req.op === 'write') invalidateInodePages2(ctx, w, file, req.index);
}

/** The request's result once its bios completed: the pages transferred, or -EIO. */
function dioResult(w: Draft, dio: OwnDio): number {
  let n = 0;
  for (const id of dio.bios) {
    const bio = ownBio(w, id);
    if (bio.error) return -EIO;
    n += bio.bvecs.length;
  }
  return n;
}

/** The file page a write request's invalidation covers. */
function dioPage(w: World, dio: Dio): { file: number; index: number } | null {
  const bio = dio.bios[0] === undefined ? undefined : bioOf(w, dio.bios[0]);
  return bio === undefined ? null : { file: bio.file, index: bio.index };
}

/**
 * One bio of the request completed (dio->ref drop); the last one completes the request, and a write
 * that wrote something invalidates the page cache over it once more (kiocb_invalidate_post_direct_write()
 * from iomap_dio_complete() / dio_complete(); a page read in while the write was in flight is stale).
 * invalidate_inode_pages2_range() first waits for writeback of the page (folio_wait_writeback() in
 * the 5.10, 6.1, 6.12 and 7.2 trees): a page under writeback now leaves the invalidation to the
 * caller that waits for or reaps the request (dioCompleted, dioFinish), once the writeback is done.
 * MODEL: done at the completion, also for the sync submitter that runs it after its wait.
 */
export function dioBioDone(ctx: Ctx, w: Draft, dio: OwnDio): boolean {
  dio.pending -= 1;
  if (dio.pending > 0) return false;
  dio.done = true;
  dio.ret = dioResult(w, dio);
  const page = dioPage(w, dio);
  if (dio.op !== 'write' || dio.ret <= 0 || page === null) return true;
  // The filesystem's end_io moves i_size over a write that ended past it, before the invalidation
  // (xfs_dio_write_end_io: the 5.10 tree's fs/xfs/xfs_file.c:483, 6.1 :528, 6.12 :569, 7.2
  // xfs_dio_endio_set_isize :593; ext4_handle_inode_extension: 5.10 fs/ext4/file.c:292, 6.1 :305,
  // 6.12 :325, 7.2 :342). MODEL: every filesystem's direct write does so at its completion.
  fileSizeExtend(ownFile(w, page.file), page.index);
  if (filemapWaitBlocks(w, fileOf(w, page.file), page.index)) dio.invalidate = true;
  else invalidateInodePages2(ctx, w, ownFile(w, page.file), page.index);
  return true;
}

/**
 * Whether the request is complete for the caller that waits for or reaps it: done, and any
 * invalidation it still owes no longer waits for writeback.
 */
export function dioCompleted(w: World, id: number): boolean {
  const dio = dioOf(w, id);
  if (!dio.done) return false;
  const page = dio.invalidate ? dioPage(w, dio) : null;
  return page === null || !filemapWaitBlocks(w, fileOf(w, page.file), page.index);
}

/**
 * The waiter (or reaper) of a completed request: the invalidation a writeback held up runs now.
 * MODEL: the kernel runs it in the completion (the sync submitter's iomap_dio_complete(), or the
 * completion work of an async one) before the caller sees the result; a request nobody reaps never
 * runs it.
 */
export function dioFinish(ctx: Ctx, w: Draft, id: number): void {
  const dio = ownDio(w, id);
  if (!dio.invalidate) return;
  dio.invalidate = false;
  const page = dioPage(w, dio);
  if (page !== null) invalidateInodePages2(ctx, w, ownFile(w, page.file), page.index);
}

/**
 * The read returns to the caller (sync return or the reaped completion): the caller expects the data
 * the device DMA'd in its own buffer now. Reported as a fact for lost-dio-data.
 */
export function dioReadReturned(ctx: Ctx, w: Draft, dio: OwnDio): void {
  if (dio.op !== 'read' || dio.mm === null || dio.buf === null || (dio.ret ?? 0) <= 0) return;
  const bio = dio.bios[0] === undefined ? undefined : ownBio(w, dio.bios[0]);
  const expected = bio?.data[0];
  // A bounced read copied the data into the caller's page (bio.bounced), not the one the device filled.
  const folio = (bio?.bounced[0] ?? bio?.bvecs[0])?.folio;
  if (expected === null || expected === undefined || folio === undefined) return;
  ctx.events.push({ type: 'dio-read-returned', folio, actor: dio.actor, mm: dio.mm, buf: dio.buf, expected });
}

/**
 * The tail every DIO path shares: pre-dirty when asked (bio_set_pages_dirty), account the bio to the
 * dio, submit_bio(). Returns what the submitter returns: -EIOCBQUEUED for async, 0 to wait.
 * @kernel block/fops.c:__blkdev_direct_IO
 */
export function dioSubmitBio(
  ctx: Ctx,
  w: Draft,
  req: DioRequest,
  dio: OwnDio,
  bio: OwnBio,
  predirty: boolean,
): DioSubmitted {
  if (predirty) bioSetPagesDirty(ctx, w, bio);
  dio.bios.push(bio.id);
  dio.pending = 1;
  submitBio(ctx, w, bio);
  return { ret: req.async ? -EIOCBQUEUED : 0, dio: dio.id };
}

/** Grabbing the bio's pages failed: release what it holds and drop it. */
export function dioAbortBio(ctx: Ctx, w: Draft, bio: OwnBio, err: number): DioSubmitted {
  bioReleasePages(ctx, w, bio, false);
  bioPut(bio);
  return { ret: err, dio: null };
}

/**
 * The completion tail every DIO path shares: hand the bio to bio_check_pages_dirty() (it owns it from
 * there), or bio_release_pages(bio, markDirty) + bio_put().
 * @kernel block/bio.c:bio_check_pages_dirty
 */
export function dioCompleteBio(
  ctx: Ctx,
  w: Draft,
  bio: OwnBio,
  checkDirty: boolean,
  markDirty: boolean,
): void {
  if (checkDirty) {
    bioCheckPagesDirty(ctx, w, bio);
    return;
  }
  bioReleasePages(ctx, w, bio, markDirty);
  bioPut(bio);
}
