import type { OwnBio, OwnDio } from '../include/blk_types.js';

import { bioAlloc, bioIovIterGetPages, bioPut } from '../block/bio.js';
import { bioIovIterBounce, bioIovIterUnbounce } from '../block/bio-bounce.js';
import type { Ctx } from '../core/ctx.js';
import {
  dioAbortBio,
  dioAlloc,
  dioBioDone,
  dioCompleteBio,
  dioFlushCache,
  dioShouldDirty,
  dioSubmitBio,
  type DioRequest,
  type DioSubmitted,
} from './dio.js';
import { ownDio, ownFile, type Draft } from '../core/cow.js';
import { fileOf } from '../core/world.js';
import { reflinkBreak } from './reflink.js';
import { btrfsDirectWriteBuffered, btrfsDirectWriteIsBuffered } from './btrfs.js';

/**
 * iomap_dio_rw() -> __iomap_dio_rw() -> iomap_dio_bio_iter(): IOMAP_DIO_DIRTY for a read into a
 * user-backed iterator; each bio gets its pages (bio_iov_iter_get_pages), is pre-dirtied when the flag
 * is set, and is submitted. Sync callers wait for the last completion. btrfs may turn a write into
 * a buffered one first (its ->write_iter, btrfs_direct_write).
 * MODEL: one bio; no sub-block zeroing (the ZERO_PAGE bios).
 * @kernel fs/iomap/direct-io.c:__iomap_dio_rw
 */
export function iomapDioRw(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  if (btrfsDirectWriteIsBuffered(ctx, w, req)) return btrfsDirectWriteBuffered(ctx, w, req);
  ctx.calls.push('iomap_dio_rw');
  dioFlushCache(ctx, w, req);
  // xfs_direct_write_iomap_begin(): a write to a shared block gets a copy-on-write block first.
  if (req.op === 'write') reflinkBreak(w, fileOf(w, req.file), req.index);
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  if (xfsDioBounces(ctx, w, req)) return iomapDioBounce(ctx, w, req, dio);
  const bio = bioAlloc(w, req.op, req.file, req.index, 'iomap', dio.id);
  const r = bioIovIterGetPages(ctx, w, bio, req.iter);
  if (r < 0) return dioAbortBio(ctx, w, bio, r);
  return dioSubmitBio(ctx, w, req, dio, bio, dio.shouldDirty);
}

/**
 * xfs_file_dio_read() / xfs_file_dio_write_aligned(): from v7.0 (policy dio.bounceStable) XFS asks
 * iomap to bounce (IOMAP_DIO_BOUNCE) when the file's mapping needs stable pages.
 * @kernel fs/xfs/xfs_file.c:xfs_file_dio_write_aligned
 */
function xfsDioBounces(ctx: Ctx, w: Draft, req: DioRequest): boolean {
  const file = ownFile(w, req.file);
  return ctx.policies['dio.bounceStable'] === 'bounce' && file.fs === 'xfs' && file.stableWrites;
}

/**
 * iomap_dio_bio_iter_one() with IOMAP_DIO_BOUNCE: the bio is filled by bio_iov_iter_bounce() instead
 * of bio_iov_iter_get_pages(), and a read is not pre-dirtied (its pages are dirtied after the copy
 * back). The integrity tags of a write are computed from the bounce copy at submission.
 * MODEL: XFS completes a bounced read through an ioend in process context (xfs_end_bio ->
 * iomap_dio_bio_end_io); the model completes it in the device's completion step, as for any bio.
 * @kernel fs/iomap/direct-io.c:iomap_dio_bio_iter_one
 */
function iomapDioBounce(ctx: Ctx, w: Draft, req: DioRequest, dio: OwnDio): DioSubmitted {
  const bio = bioAlloc(w, req.op, req.file, req.index, 'iomap-bounce', dio.id);
  const r = bioIovIterBounce(ctx, w, bio, req.iter);
  if (r < 0) {
    bioPut(bio);
    return { ret: r, dio: null };
  }
  return dioSubmitBio(ctx, w, req, dio, bio, false);
}

/**
 * iomap_dio_bio_end_io(): drop the dio reference (the last one wakes the waiter or completes the
 * iocb), then bio_check_pages_dirty() when IOMAP_DIO_DIRTY, else bio_release_pages(bio, false).
 * @kernel fs/iomap/direct-io.c:iomap_dio_bio_end_io
 */
export function iomapDioBioEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  dioBioDone(ctx, w, dio);
  dioCompleteBio(ctx, w, bio, dio.shouldDirty, false);
}

/**
 * iomap_dio_bio_end_io() of an IOMAP_DIO_BOUNCE request: bio_iov_iter_unbounce(bio, error,
 * IOMAP_DIO_USER_BACKED), bio_put(), then the dio reference.
 * MODEL: mark_dirty is the request's should-dirty (a read into a user-backed iterator; the what-if
 * dio.redirty=none drops it as it drops the other re-dirtying).
 * @kernel fs/iomap/direct-io.c:__iomap_dio_bio_end_io
 */
export function iomapDioBounceEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  bioIovIterUnbounce(ctx, w, bio, bio.error, dio.shouldDirty);
  bioPut(bio);
  dioBioDone(ctx, w, dio);
}
