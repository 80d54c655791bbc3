import { blkdevDirectIO, blkdevDirectIOSimpleFinish } from '../block/fops.js';
import type { Ctx } from '../core/ctx.js';
import type { DioPath } from '../include/blk_types.js';
import { blockdevDirectIO, dioAwaitCompletion } from './direct-io.js';
import { dioReadReturned, type DioRequest, type DioSubmitted } from './dio.js';
import { iomapDioRw } from './iomap-dio.js';
import { nfsFileDirectIO } from './nfs-direct.js';
import { cephDirectReadWrite, cephSyncFinish } from './ceph-direct.js';
import { ownBio, ownDio, type Draft } from '../core/cow.js';

/**
 * ->read_iter / ->write_iter with IOCB_DIRECT: dispatch a request to its direct-I/O implementation.
 * @kernel fs/read_write.c:vfs_iocb_iter_read
 */
export function submitDio(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  switch (req.path) {
    case 'blkdev':
    case 'blkdev-multi':
    case 'blkdev-split':
      return blkdevDirectIO(ctx, w, req);
    case 'iomap':
      return iomapDioRw(ctx, w, req);
    case 'legacy':
      return blockdevDirectIO(ctx, w, req);
    case 'nfs':
      return nfsFileDirectIO(ctx, w, req);
    case 'ceph':
      return cephDirectReadWrite(ctx, w, req);
  }
}

/**
 * Where each path's sync submitter sleeps until its I/O completes, the function a trace names the wait
 * step after (its name on older releases: model/profile/names.ts). The block device's simple path
 * (one bio, sync; blkdev and blkdev-split) waits in submit_bio_wait, the multi-bio path in
 * __blkdev_direct_IO itself, iomap in __iomap_dio_rw, fs/direct-io.c in dio_await_completion, NFS in
 * nfs_direct_wait, ceph in ceph_osdc_wait_request (each read in the 5.10, 6.1, 6.12 and 7.2 trees).
 */
export const SYNC_DIO_WAIT: Readonly<Record<DioPath, string>> = {
  blkdev: 'submit_bio_wait',
  'blkdev-split': 'submit_bio_wait',
  'blkdev-multi': '__blkdev_direct_IO',
  iomap: '__iomap_dio_rw',
  legacy: 'dio_await_completion',
  nfs: 'nfs_direct_wait',
  ceph: 'ceph_osdc_wait_request',
};

/** The sync submitter, woken: the path's own process-context completion, then the return value. */
export function finishSyncDio(ctx: Ctx, w: Draft, dioId: number): number {
  const dio = ownDio(w, dioId);
  if ((dio.path === 'blkdev' || dio.path === 'blkdev-split') && !dio.async) {
    const bio = ownBio(w, dio.bios[0] ?? -1);
    blkdevDirectIOSimpleFinish(ctx, w, dioId, bio);
  } else if (dio.path === 'legacy') {
    dioAwaitCompletion(ctx, w, dioId);
  } else if (dio.path === 'ceph') {
    cephSyncFinish(ctx, w, dioId);
  }
  dioReadReturned(ctx, w, dio);
  return dio.ret ?? 0;
}
