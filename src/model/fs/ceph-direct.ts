import type { OwnBio } from '../include/blk_types.js';
import { bioAlloc, bioPut, ioFolioMarkDirty } from '../block/bio.js';
import type { Ctx } from '../core/ctx.js';
import { dioAlloc, dioBioDone, dioFlushCache, type DioRequest, type DioSubmitted } from './dio.js';
import {
  remoteAbort,
  remoteAddPages,
  remoteGetPages,
  remoteReleasePage,
  remoteShouldDirty,
  remoteSubmit,
} from './remote-dio.js';
import { ownBio, ownDio, ownFolio, type Draft } from '../core/cow.js';

/**
 * ceph O_DIRECT (fs/ceph/file.c). The pages become the OSD request's bio_vec array through
 * iter_get_bvecs_alloc() -> iov_iter_get_pages2(): FOLL_GET references, in every release pinlab models
 * (7.2 included), held until put_bvecs() after the reply. A reference, not a pin: an O_DIRECT read
 * racing fork loses the parent's data on every release.
 * MODEL: one page, one OSD request; the file's disk is the OSDs' copy (remote-dio.ts).
 */

/**
 * ceph_direct_read_write(): should_dirty for a read into user memory; a new OSD request
 * (ceph_osdc_new_request) gets the pages (iter_get_bvecs_alloc); an async caller's request completes
 * through ceph_aio_complete_req, a sync caller starts it and waits (ceph_osdc_wait_request), then puts
 * the pages itself.
 * MODEL: the page cache over the range is written back first, as every DIO path does.
 * @kernel fs/ceph/file.c:ceph_direct_read_write
 */
export function cephDirectReadWrite(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('ceph_direct_read_write');
  dioFlushCache(ctx, w, req);
  const dio = dioAlloc(w, req, remoteShouldDirty(req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'ceph', dio.id);
  ctx.calls.push('iter_get_bvecs_alloc');
  const r = remoteGetPages(ctx, w, req.iter, 'iov_iter_get_pages2', (folios, grab) =>
    remoteAddPages(bio, folios, grab),
  );
  if (r < 0) return remoteAbort(bio, r);
  return remoteSubmit(ctx, req, dio, bio, 'ceph_osdc_start_request');
}

/**
 * put_bvecs(): set_page_dirty_lock() on each page when should_dirty (no compound-page exception),
 * then put_page().
 * @kernel fs/ceph/file.c:put_bvecs
 */
function putBvecs(ctx: Ctx, w: Draft, bio: OwnBio, shouldDirty: boolean): void {
  ctx.calls.push('put_bvecs');
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (shouldDirty) ioFolioMarkDirty(ctx, w, f, 'set_page_dirty_lock', 'set_page_dirty_lock');
    remoteReleasePage(ctx, w, bv);
  }
  bioPut(bio);
}

/**
 * The OSD reply: an async request runs ceph_aio_complete_req() (put_bvecs, then ceph_aio_complete);
 * a sync one only wakes its waiter (complete_all(&req->r_completion)).
 * @kernel fs/ceph/file.c:ceph_aio_complete_req
 */
export function cephOsdReply(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  if (dio.async) putBvecs(ctx, w, bio, dio.shouldDirty);
  else bio.state = 'completed';
  dioBioDone(ctx, w, dio);
}

/** The sync submitter, woken from ceph_osdc_wait_request(): put_bvecs(bvecs, num_pages, should_dirty). */
export function cephSyncFinish(ctx: Ctx, w: Draft, dioId: number): void {
  const dio = ownDio(w, dioId);
  putBvecs(ctx, w, ownBio(w, dio.bios[0] ?? -1), dio.shouldDirty);
}
