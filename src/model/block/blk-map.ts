import type { OwnBio } from '../include/blk_types.js';
import { EIO } from '../include/errno.js';
import type { IovIter } from '../include/uio.js';
import type { Ctx } from '../core/ctx.js';
import { ownBio, type Draft } from '../core/cow.js';
import { bioAlloc, bioGrabIterPages, bioPut, bioReleasePages, submitBio } from './bio.js';
import { bioReleasePagesDirtied } from './release-dirty.js';

/**
 * Passthrough requests with user data (SG_IO on /dev/sgN, /dev/sdX or bsg): the user buffer is mapped
 * into the request's bio, the command runs, and blk_rq_unmap_user() releases the pages, dirtying them
 * for a read (one of the two legitimate bio_release_pages(bio, true) callers of seed 002).
 * MODEL: one page, mapped directly (the buffer is aligned: no bio_copy_user_iov bounce); the file
 * stands for the device's blocks.
 */

/**
 * blk_rq_map_user_iov() -> bio_map_user_iov(): a bio for the request, its pages grabbed as the DIO
 * paths grab them (references through iov_iter_get_pages_alloc2 up to v6.4, then
 * iov_iter_extract_pages pins with BIO_PAGE_PINNED: "block: convert bio_map_user_iov to use
 * iov_iter_extract_pages"), and blk_execute_rq() issues it. Returns the bio, or -errno.
 * @kernel block/blk-map.c:bio_map_user_iov
 */
export function blkRqMapUserIov(
  ctx: Ctx,
  w: Draft,
  op: 'read' | 'write',
  file: number,
  index: number,
  iter: IovIter,
): number {
  ctx.calls.push('blk_rq_map_user_iov', 'bio_map_user_iov');
  const bio = bioAlloc(w, op, file, index, 'sg-io', null);
  const r = bioGrabIterPages(ctx, w, bio, iter);
  if (r < 0) {
    bioReleasePages(ctx, w, bio, false);
    bioPut(bio);
    return r;
  }
  ctx.calls.push('blk_execute_rq');
  submitBio(ctx, w, bio);
  return bio.id;
}

/** blk_end_sync_rq(): the request completed; wake the waiter in blk_execute_rq(). @kernel block/blk-mq.c:blk_end_sync_rq */
export function blkEndSyncRq(_ctx: Ctx, _w: Draft, bio: OwnBio): void {
  bio.state = 'completed';
}

/**
 * blk_rq_unmap_user(): back in process context, release the bio's pages with
 * bio_release_pages(bio, bio_data_dir(bio) == READ) (or Al Viro's alternative, bio.releaseDirty), and
 * drop the bio. Returns the page count, or -EIO when the device failed the command.
 * @kernel block/blk-map.c:blk_rq_unmap_user
 */
export function blkRqUnmapUser(ctx: Ctx, w: Draft, bioId: number): number {
  ctx.calls.push('blk_rq_unmap_user');
  const bio = ownBio(w, bioId);
  bioReleasePagesDirtied(ctx, w, bio, bio.op === 'read');
  bioPut(bio);
  return bio.error ? -EIO : bio.bvecs.length;
}
