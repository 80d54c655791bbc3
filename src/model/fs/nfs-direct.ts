import type { OwnBio } from '../include/blk_types.js';
import { bioAlloc, bioPut, ioFolioMarkDirty } from '../block/bio.js';
import { folioRefAdd, folioTestLarge } from '../mm/folio.js';
import type { Ctx } from '../core/ctx.js';
import { dioAlloc, dioBioDone, dioFlushCache, type DioRequest, type DioSubmitted } from './dio.js';
import {
  remoteAbort,
  remoteAddPages,
  remoteGetPages,
  remotePutPages,
  remoteReleasePage,
  remoteShouldDirty,
  remoteSubmit,
} from './remote-dio.js';
import { ownDio, ownFolio, type Draft } from '../core/cow.js';

/**
 * NFS O_DIRECT (fs/nfs/direct.c). The pages are grabbed with FOLL_GET references
 * (iov_iter_get_pages_alloc2) in every release pinlab models, 7.2 included: each page then gets its
 * own reference from the nfs_page that describes it (nfs_page_create), the extraction's reference is
 * dropped at once (nfs_direct_release_pages), and the nfs_page keeps the page until the RPC completes.
 * A reference, not a pin: fork does not copy such a page, so an O_DIRECT read racing fork loses the
 * parent's data on every release, v6.5 and later too (seed 001's open(2) question).
 * MODEL: one page, one RPC (rsize >= a page); the file's disk is the server's copy (remote-dio.ts).
 */

/**
 * nfs_file_direct_read() / nfs_file_direct_write(): the page cache over the range is written back
 * first (nfs_start_io_direct); a read into user memory is to be dirtied on completion
 * (NFS_ODIRECT_SHOULD_DIRTY); a sync caller waits (nfs_direct_wait), an async one gets -EIOCBQUEUED.
 * @kernel fs/nfs/direct.c:nfs_file_direct_read
 */
export function nfsFileDirectIO(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push(req.op === 'read' ? 'nfs_file_direct_read' : 'nfs_file_direct_write');
  dioFlushCache(ctx, w, req);
  const dio = dioAlloc(w, req, remoteShouldDirty(req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, req.op === 'read' ? 'nfs-read' : 'nfs-write', dio.id);
  const r = nfsDirectScheduleIovec(ctx, w, bio, req);
  if (r < 0) return remoteAbort(bio, r);
  return remoteSubmit(ctx, req, dio, bio, 'nfs_pageio_complete');
}

/**
 * nfs_direct_read_schedule_iovec() / nfs_direct_write_schedule_iovec(): per chunk,
 * iov_iter_get_pages_alloc2(), an nfs_page per page (nfs_page_create_from_page: get_page), then
 * nfs_direct_release_pages() puts the extraction's references. Returns the pages, or -errno.
 * @kernel fs/nfs/direct.c:nfs_direct_read_schedule_iovec
 */
function nfsDirectScheduleIovec(ctx: Ctx, w: Draft, bio: OwnBio, req: DioRequest): number {
  ctx.calls.push(req.op === 'read' ? 'nfs_direct_read_schedule_iovec' : 'nfs_direct_write_schedule_iovec');
  return remoteGetPages(ctx, w, req.iter, 'iov_iter_get_pages_alloc2', (folios, grab) => {
    // MODEL: under the what-if netfs.dioGrab=pin the nfs_page keeps the extraction's pin (or nothing).
    if (grab !== 'ref') return remoteAddPages(bio, folios, grab);
    for (const id of folios) folioRefAdd(ctx, ownFolio(w, id), 1); // nfs_page_create: get_page()
    remoteAddPages(bio, folios, 'ref');
    ctx.calls.push('nfs_direct_release_pages');
    remotePutPages(ctx, w, folios);
  });
}

/**
 * nfs_direct_read_completion(): for each nfs_page, set_page_dirty() when the read was into user
 * memory and the page got data, except compound pages (PageCompound, in every tree from 5.10 to 7.2),
 * then nfs_release_request() drops the page's reference; put_dreq() completes the request.
 * @kernel fs/nfs/direct.c:nfs_direct_read_completion
 */
export function nfsDirectReadCompletion(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (dio.shouldDirty && !bio.error && !folioTestLarge(f))
      ioFolioMarkDirty(ctx, w, f, 'set_page_dirty', 'set_page_dirty');
    ctx.calls.push('nfs_release_request');
    remoteReleasePage(ctx, w, bv);
  }
  bioPut(bio);
  dioBioDone(ctx, w, dio);
}

/**
 * nfs_direct_write_completion(): each nfs_page is released (nfs_release_request); put_dreq()
 * completes the request.
 * MODEL: the server's reply is FILE_SYNC: no request waits on the commit list for a COMMIT.
 * @kernel fs/nfs/direct.c:nfs_direct_write_completion
 */
export function nfsDirectWriteCompletion(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  for (const bv of bio.bvecs) {
    ctx.calls.push('nfs_release_request');
    remoteReleasePage(ctx, w, bv);
  }
  bioPut(bio);
  dioBioDone(ctx, w, dio);
}
