import type { OwnBio } from '../include/blk_types.js';

import { bioAlloc, bioGrabIterPages } from '../block/bio.js';
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
import { ownBio, ownDio, type Draft } from '../core/cow.js';

/**
 * __blockdev_direct_IO() (ext2, fat, exfat, hfs(+), jfs, nilfs2, ntfs3, udf, ocfs2, affs): should_dirty
 * for a user-backed read; dio_refill_pages() grabs pages with iov_iter_get_pages2 (references, even
 * for ITER_BVEC) or, since v6.5, iov_iter_extract_pages (is_pinned = will_pin; BIO_PAGE_PINNED).
 * Only async reads are pre-dirtied (dio_bio_submit).
 * MODEL: one bio; the v6.5 per-bio extra pin (folio_add_pin) and the submitter's dio_unpin_page()
 * cancel out, leaving one pin per bio.
 * @kernel fs/direct-io.c:__blockdev_direct_IO
 */
export function blockdevDirectIO(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('__blockdev_direct_IO');
  dioFlushCache(ctx, w, req);
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'legacy', dio.id);
  ctx.calls.push('dio_refill_pages');
  const r = bioGrabIterPages(ctx, w, bio, req.iter);
  if (r < 0) return dioAbortBio(ctx, w, bio, r);
  return dioSubmitBio(ctx, w, req, dio, bio, req.async && req.op === 'read' && dio.shouldDirty);
}

/**
 * dio_bio_complete(): async reads that should dirty hand the bio to bio_check_pages_dirty(); every
 * other bio is released with bio_release_pages(bio, should_dirty) (sync reads are dirtied here,
 * after the I/O).
 * @kernel fs/direct-io.c:dio_bio_complete
 */
function dioBioComplete(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  const shouldDirty = dio.op === 'read' && dio.shouldDirty;
  dioCompleteBio(ctx, w, bio, dio.async && shouldDirty, shouldDirty);
}

/**
 * dio_bio_end_io() (sync: queue the bio on dio->bio_list and wake the submitter) or dio_bio_end_aio()
 * (async: dio_bio_complete, then the last bio completes the iocb).
 * @kernel fs/direct-io.c:dio_bio_end_aio
 */
export function dioBioEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  if (!dio.async) {
    bio.state = 'completed';
    dioBioDone(ctx, w, dio);
    return;
  }
  dioBioComplete(ctx, w, bio);
  dioBioDone(ctx, w, dio);
}

/** dio_await_completion(): the sync submitter reaps its completed bios in process context. @kernel fs/direct-io.c:dio_await_completion */
export function dioAwaitCompletion(ctx: Ctx, w: Draft, dioId: number): void {
  for (const id of ownDio(w, dioId).bios) {
    const bio = ownBio(w, id);
    if (bio.state === 'completed') dioBioComplete(ctx, w, bio);
  }
}
