import type { Ctx } from '../core/ctx.js';
import type { Draft } from '../core/cow.js';
import type { DioSubmitted } from '../fs/dio.js';
import { vfsIocbIterRw, type KernelAio } from '../fs/kernel-aio.js';

/**
 * The loop device with direct I/O: lo_rw_aio() turns the request's bio_vecs into an ITER_BVEC
 * iterator and runs the backing file's ->read_iter / ->write_iter with cmd->iocb, whose ki_complete
 * is lo_rw_aio_complete(). The request owns its pages (they belong to the bio submitted to the loop
 * device) and ends only in lo_rw_aio_complete() -> blk_mq_complete_request(): the owner's
 * protection lasts until the backing I/O completes (Al Viro's rule, seed 004).
 * MODEL: the request's pages are a kernel caller's held pages; the worker (loop_queue_work /
 * loop_process_work) runs within the submission step. Only the direct-I/O loop device (cmd->use_aio) is
 * modelled: a buffered one copies through the backing file's page cache within the call
 * (lo_read_simple / lo_write_simple in the 5.10 and 6.1 trees; from 6.12 lo_rw_aio with ki_complete
 * NULL and no IOCB_DIRECT, completed before it returns), so no request page outlives its iterator.
 * @kernel drivers/block/loop.c:lo_rw_aio
 */
export function loRwAio(ctx: Ctx, w: Draft, io: KernelAio): DioSubmitted {
  ctx.calls.push('lo_rw_aio');
  return vfsIocbIterRw(ctx, w, io);
}

/** What ends the request once the backing I/O completed. @kernel drivers/block/loop.c:lo_rw_aio_complete */
export const LOOP_COMPLETE = 'lo_rw_aio_complete';
