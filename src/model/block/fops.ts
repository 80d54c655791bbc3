import type { OwnBio } from '../include/blk_types.js';
import { EIO, EIOCBQUEUED } from '../include/errno.js';

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
} from '../fs/dio.js';
import type { Ctx } from '../core/ctx.js';
import { bioAlloc, bioIovBvecSet, bioIovIterGetPages, bioPut, submitBio } from './bio.js';
import { ownDio, type Draft } from '../core/cow.js';
import type { OwnDio } from '../include/blk_types.js';
import { bioReleasePagesDirtied } from './release-dirty.js';
import { bioSplitToLimits } from './bio-split.js';

/**
 * blkdev_direct_IO(): O_DIRECT on a block device. A request that fits one bio goes to
 * __blkdev_direct_IO_simple (sync) or __blkdev_direct_IO_async; a larger one to __blkdev_direct_IO
 * (several bios, sync or async). MODEL: the request is one page; path 'blkdev-multi' forces the
 * multi-bio code; 'blkdev-split' the simple or async code on a device whose limits split the bio.
 * @kernel block/fops.c:blkdev_direct_IO
 */
export function blkdevDirectIO(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  dioFlushCache(ctx, w, req);
  if (req.path === 'blkdev-multi') return blkdevDirectIOMulti(ctx, w, req);
  const r = req.async ? blkdevDirectIOAsync(ctx, w, req) : blkdevDirectIOSimple(ctx, w, req);
  // 'blkdev-split': the device's limits split the bio on its way in (submit_bio -> bio_split).
  const bio = r.dio === null ? undefined : ownDio(w, r.dio).bios[0];
  if (req.path === 'blkdev-split' && bio !== undefined) bioSplitToLimits(ctx, w, bio);
  return r;
}

/** Add the iterator's pages; on failure release what was added and drop the bio. */
function addPagesOrFail(ctx: Ctx, w: Draft, bio: OwnBio, req: DioRequest): number {
  const r = bioIovIterGetPages(ctx, w, bio, req.iter);
  if (r < 0) dioAbortBio(ctx, w, bio, r);
  return r;
}

/**
 * __blkdev_direct_IO_simple(): an on-stack bio, should_dirty for a user-backed read, submit_bio_wait;
 * the submitter releases the pages itself after the wait, dirtying them then (no pre-dirtying).
 * @kernel block/fops.c:__blkdev_direct_IO_simple
 */
function blkdevDirectIOSimple(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('__blkdev_direct_IO_simple');
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'blkdev-simple', dio.id);
  const r = addPagesOrFail(ctx, w, bio, req);
  if (r < 0) return { ret: r, dio: null };
  dio.bios.push(bio.id);
  dio.pending = 1;
  submitBio(ctx, w, bio);
  return { ret: 0, dio: dio.id };
}

/** The simple path after submit_bio_wait() returned: bio_release_pages(bio, should_dirty) (or bio.releaseDirty's what-if). */
export function blkdevDirectIOSimpleFinish(ctx: Ctx, w: Draft, dioId: number, bio: OwnBio): void {
  bioReleasePagesDirtied(ctx, w, bio, ownDio(w, dioId).shouldDirty);
  bioPut(bio);
}

/**
 * __blkdev_direct_IO_async(): one bio; an ITER_BVEC is borrowed (bio_iov_bvec_set, no references: the
 * caller keeps the pages alive until ->ki_complete); a user-backed read is pre-dirtied. Before v5.16
 * (blkdev.asyncDio=multi-bio) __blkdev_direct_IO served the request: the same steps for one bio
 * (model/profile/names.ts spells its calls), but a failed page grab completes it with -EIO.
 * @kernel block/fops.c:__blkdev_direct_IO_async
 */
function blkdevDirectIOAsync(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('__blkdev_direct_IO_async');
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'blkdev-async', dio.id);
  if (req.iter.type === 'bvec' && ctx.policies['bio.pageFlags'] !== 'none') {
    bioIovBvecSet(ctx, bio, req.iter);
  } else {
    const r = bioIovIterGetPages(ctx, w, bio, req.iter);
    // Before v5.16 the multi-bio code served this request, and its failure completes it (-EIO).
    if (r < 0 && ctx.policies['blkdev.asyncDio'] === 'multi-bio')
      return multiGrabFailed(ctx, w, req, dio, bio, r);
    if (r < 0) return dioAbortBio(ctx, w, bio, r);
  }
  return dioSubmitBio(ctx, w, req, dio, bio, dio.shouldDirty);
}

/**
 * __blkdev_direct_IO(): the multi-bio path (sync or async): each bio gets its pages, is pre-dirtied
 * for a user-backed read, and is submitted; blkdev_bio_end_io completes and releases.
 * @kernel block/fops.c:__blkdev_direct_IO
 */
function blkdevDirectIOMulti(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('__blkdev_direct_IO');
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'blkdev', dio.id);
  const r = bioIovIterGetPages(ctx, w, bio, req.iter);
  if (r < 0) return multiGrabFailed(ctx, w, req, dio, bio, r);
  return dioSubmitBio(ctx, w, req, dio, bio, dio.shouldDirty);
}

/**
 * __blkdev_direct_IO() when bio_iov_iter_get_pages() fails: the bio ends with BLK_STS_IOERR
 * (bio_endio -> blkdev_bio_end_io, which releases what it holds and completes the request). A sync
 * caller, woken at once, returns the grab's error; an async one has returned -EIOCBQUEUED, and
 * ->ki_complete gives -EIO (the 5.10 tree fs/block_dev.c:423, 6.1 block/fops.c:218, 6.12 :208,
 * 7.2 :219).
 * @kernel block/fops.c:__blkdev_direct_IO
 */
function multiGrabFailed(
  ctx: Ctx,
  w: Draft,
  req: DioRequest,
  dio: OwnDio,
  bio: OwnBio,
  err: number,
): DioSubmitted {
  ctx.calls.push('bio_endio');
  dioAbortBio(ctx, w, bio, err);
  if (!req.async) return { ret: err, dio: null };
  dio.done = true;
  dio.ret = -EIO;
  return { ret: -EIOCBQUEUED, dio: dio.id };
}

/**
 * blkdev_bio_end_io() / blkdev_bio_end_io_async(): the last bio completes the request (wakes the
 * waiter, or ->ki_complete first for async), then the bio's pages are checked (should_dirty) or
 * released. For the simple path the completion only wakes the submitter.
 * @kernel block/fops.c:blkdev_bio_end_io
 */
export function blkdevBioEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  dioBioDone(ctx, w, dio);
  if (bio.endIo === 'blkdev-simple') {
    bio.state = 'completed';
    return;
  }
  dioCompleteBio(ctx, w, bio, dio.shouldDirty, false);
}
