import type { DioPath } from '../include/blk_types.js';
import type { File } from '../include/fs.js';
import { iovIterInit } from '../lib/iov_iter.js';
import type { Ctx } from '../core/ctx.js';
import type { Draft } from '../core/cow.js';
import type { DioRequest, DioSubmitted } from './dio.js';
import { submitDio } from './read_write.js';
import { fsDioPath } from './dio-path.js';
import { bug } from '../core/world.js';

/** An in-kernel asynchronous read or write of a file page from or into pages a kernel caller owns. */
export interface KernelAio {
  readonly rw: 'read' | 'write';
  readonly file: File;
  readonly index: number;
  /** The owner's pages: the iterator lists them and takes no reference. */
  readonly folios: readonly number[];
  /** Who submitted it and under which name its completion is found. */
  readonly actor: number;
  readonly name: string;
}

/**
 * The direct-I/O implementation the backing file's ->read_iter / ->write_iter run: its filesystem's
 * (block/fops.c, iomap, fs/direct-io.c by release for ext4 and btrfs, NFS's nfs_file_direct_read,
 * ceph's ceph_direct_read_write). Scenario validation refuses a backing file with none (tmpfs).
 */
function backingPath(ctx: Ctx, file: File): DioPath {
  return fsDioPath(ctx.policies, file.fs) ?? bug('kernel-aio', `no direct I/O modelled on ${file.fs}`);
}

/**
 * iov_iter_bvec() over the owner's pages, then the backing file's ->read_iter / ->write_iter with an
 * async kiocb (IOCB_DIRECT, ki_complete set): the I/O is queued (-EIOCBQUEUED) and outlives the
 * iterator. ITER_BVEC pages are only listed (bio_iov_bvec_set / BIO_NO_PAGE_REF from v5.1): nothing
 * but their owner keeps them alive until ki_complete runs (seed 004).
 * MODEL: named after vfs_iocb_iter_read(), the ->read_iter call with a caller's kiocb; loop and LIO
 * call the method themselves (call_read_iter / call_write_iter in the 5.10 and 6.1 trees,
 * file->f_op->read_iter / write_iter in 6.12 and 7.2), and the loop device does so with IOCB_DIRECT
 * only when it uses direct I/O (cmd->use_aio; from 6.12 lo_rw_aio also runs the buffered case).
 * @kernel fs/read_write.c:vfs_iocb_iter_read
 */
export function vfsIocbIterRw(ctx: Ctx, w: Draft, io: KernelAio): DioSubmitted {
  ctx.calls.push(io.rw === 'read' ? 'vfs_iocb_iter_read' : 'vfs_iocb_iter_write');
  const req: DioRequest = {
    path: backingPath(ctx, io.file),
    op: io.rw,
    async: true,
    iter: iovIterInit(
      'bvec',
      io.rw === 'read',
      io.folios.map((folio) => ({ kind: 'page' as const, folio })),
    ),
    file: io.file.id,
    index: io.index,
    actor: io.actor,
    name: io.name,
    mm: null,
    buf: null,
  };
  return submitDio(ctx, w, req);
}
