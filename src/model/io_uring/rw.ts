import { EFAULT } from '../include/errno.js';
import type { DioPath } from '../include/blk_types.js';
import type { DioSubmitted } from '../fs/dio.js';
import { submitDio } from '../fs/read_write.js';
import { iovIterInit } from '../lib/iov_iter.js';
import type { Ctx } from '../core/ctx.js';
import type { Draft } from '../core/cow.js';
import { ioRsrcNodeGet, registeredBuf } from './rsrc.js';

/** A submitted fixed-buffer request, and the buffer rsrc node it holds while in flight. */
export interface FixedSubmitted extends DioSubmitted {
  readonly node: number | null;
}

/**
 * io_read() / io_write() for IORING_OP_READ_FIXED / WRITE_FIXED: io_import_fixed() turns the registered
 * buffer into an ITER_BVEC (not user-backed: nothing is pinned again, nothing will be dirtied), and an
 * O_DIRECT file issues it as an async kiocb (the block layer borrows the bvecs). An issued request
 * holds the buffer's rsrc node until it is freed. A driver's buffer has one direction (imu->dir, the
 * 7.2 tree's io_uring/rsrc.c:1067): a request the other way fails with -EFAULT (:1152).
 * MODEL: the failed request never holds the node (the kernel takes it in io_find_buf_node() and drops
 * it when the failed request is freed, before the CQE is reaped).
 * @kernel io_uring/rw.c:io_read
 * @kernel io_uring/rsrc.c:io_import_fixed
 */
export function ioRwFixed(
  ctx: Ctx,
  w: Draft,
  rw: 'read' | 'write',
  bufIndex: number,
  path: DioPath,
  file: number,
  index: number,
  actor: number,
  name: string,
): FixedSubmitted {
  ctx.calls.push('io_import_fixed');
  const buf = registeredBuf(w, bufIndex);
  if (buf === undefined || (buf.kbuf !== null && buf.kbuf.dir !== rw))
    return { ret: -EFAULT, dio: null, node: null };
  const iter = iovIterInit(
    'bvec',
    rw === 'read',
    buf.folios.map((folio) => ({ kind: 'page' as const, folio })),
  );
  const submitted = submitDio(ctx, w, {
    path,
    op: rw,
    async: true,
    iter,
    file,
    index,
    actor,
    name,
    mm: null,
    buf: null,
  });
  return { ...submitted, node: submitted.dio === null ? null : ioRsrcNodeGet(w, buf) };
}
