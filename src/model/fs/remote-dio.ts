import type { Bvec, BvecGrab, OwnBio } from '../include/blk_types.js';
import { EIOCBQUEUED, type KernelResult } from '../include/errno.js';
import type { IovIter } from '../include/uio.js';
import { bioAddFolio, bioPut } from '../block/bio.js';
import { iovIterExtractPages, iovIterGetPages2, userBackedIter } from '../lib/iov_iter.js';
import type { Ctx } from '../core/ctx.js';
import type { OwnDio } from '../include/blk_types.js';
import type { DioRequest, DioSubmitted } from './dio.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { putPage, unpinUserPage } from '../mm/gup.js';

/**
 * What the network filesystems' direct I/O (fs/nfs/direct.c, fs/ceph/file.c) shares. Neither builds a
 * bio: the pages go into an RPC (nfs_pgio_header) or an OSD request (ceph_osd_request) sent to a
 * server.
 * MODEL: the request is a bio of the device agent. Its transfer is the server's reply landing in the
 * pages (a READ reply copied from the socket, or placed by RDMA) or the server taking the pages' data
 * (a WRITE), its completion the reply's callback. The server is the file's `disk`: it answers at once,
 * always with the data it holds, and writes stably (no NFS COMMIT phase).
 */

/**
 * Whether the pages are dirtied on completion: a read into a user-backed iterator
 * (NFS_ODIRECT_SHOULD_DIRTY; ceph's should_dirty). Neither reads the block layer's dio.redirty what-if.
 * @kernel fs/ceph/file.c:ceph_direct_read_write
 */
export function remoteShouldDirty(iter: IovIter): boolean {
  return iter.dest && userBackedIter(iter);
}

/**
 * iov_iter_get_pages_alloc2() (NFS) / iov_iter_get_pages2() (ceph), `fn`, until the iterator is done,
 * each batch handed to `add` with how it was grabbed: FOLL_GET references on user pages (no release converted these paths
 * to pins: the 5.10, 6.1, 6.12 and 7.2 trees), get_page() on BVEC pages, -EFAULT for KVEC and DISCARD.
 * Under the what-if netfs.dioGrab=pin, iov_iter_extract_pages() instead: user pages pinned, kernel
 * pages only listed. Returns the pages grabbed, or -errno when none was.
 * @kernel lib/iov_iter.c:iov_iter_get_pages_alloc2
 */
export function remoteGetPages(
  ctx: Ctx,
  w: Draft,
  iter: IovIter,
  fn: 'iov_iter_get_pages2' | 'iov_iter_get_pages_alloc2',
  add: (folios: readonly number[], grab: BvecGrab) => void,
): KernelResult {
  const extract = ctx.policies['netfs.dioGrab'] === 'pin';
  let n = 0;
  while (iter.pos < iter.segs.length) {
    const r = extract ? iovIterExtractPages(ctx, w, iter) : iovIterGetPages2(ctx, w, iter, fn);
    if (r.ret < 0) return n > 0 ? n : r.ret;
    add(r.folios, r.grab);
    n += r.folios.length;
  }
  return n;
}

/**
 * The request goes to the server (rpc_run_task from nfs_pageio_complete; ceph_osdc_start_request): the
 * device agent may now transfer and complete it.
 */
export function remoteRequestSend(ctx: Ctx, bio: OwnBio, fn: string): void {
  ctx.calls.push(fn);
  bio.tags = bio.bvecs.map(() => null);
  bio.data = bio.bvecs.map(() => null);
  bio.state = 'in-flight';
}

/** The request is accounted to its dio and sent; an async caller gets -EIOCBQUEUED, a sync one waits. */
export function remoteSubmit(ctx: Ctx, req: DioRequest, dio: OwnDio, bio: OwnBio, fn: string): DioSubmitted {
  dio.bios.push(bio.id);
  dio.pending = 1;
  remoteRequestSend(ctx, bio, fn);
  return { ret: req.async ? -EIOCBQUEUED : 0, dio: dio.id };
}

/** No page could be grabbed: the request is dropped and the error returned. */
export function remoteAbort(bio: OwnBio, err: number): DioSubmitted {
  bioPut(bio);
  return { ret: err, dio: null };
}

/** Add pages to the request, each held as it was grabbed. */
export function remoteAddPages(bio: OwnBio, folios: readonly number[], grab: BvecGrab): void {
  for (const id of folios) bioAddFolio(bio, id, grab);
}

/** put_page() on every page in `folios` (the extraction's own references). */
export function remotePutPages(ctx: Ctx, w: Draft, folios: readonly number[]): void {
  for (const id of folios) putPage(ctx, w, ownFolio(w, id));
}

/**
 * Drop the request's hold on one page: put_page() on a reference; under the what-if netfs.dioGrab=pin
 * unpin_user_page() on a pin, nothing for a listed page.
 */
export function remoteReleasePage(ctx: Ctx, w: Draft, bv: Bvec): void {
  const f = ownFolio(w, bv.folio);
  if (bv.grab === 'pin') unpinUserPage(ctx, w, f);
  else if (bv.grab === 'ref') putPage(ctx, w, f);
}
