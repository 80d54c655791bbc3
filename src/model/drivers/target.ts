import type { Ctx } from '../core/ctx.js';
import type { Draft } from '../core/cow.js';
import type { DioSubmitted } from '../fs/dio.js';
import { vfsIocbIterRw, type KernelAio } from '../fs/kernel-aio.js';

/**
 * The SCSI target's file backend with async I/O (LIO fileio, aio=1): fd_execute_rw_aio() builds an
 * ITER_BVEC iterator over the command's data pages (se_cmd->t_data_sg, allocated by
 * target_alloc_sgl()) and runs the backing file's ->read_iter / ->write_iter with an async kiocb
 * whose ki_complete is cmd_rw_aio_complete() -> target_complete_cmd(). The command owns its pages
 * and frees them (transport_free_pages -> target_free_sgl) only after the fabric has finished with
 * the completed command (seed 004: "it happens from the end_io callback that is triggered through a
 * call to target_complete_cmd").
 * MODEL: the command's data pages are a kernel caller's held pages (`kalloc page`), freed by `put`.
 * @kernel drivers/target/target_core_file.c:fd_execute_rw_aio
 */
export function fdExecuteRwAio(ctx: Ctx, w: Draft, io: KernelAio): DioSubmitted {
  ctx.calls.push('fd_execute_rw_aio');
  return vfsIocbIterRw(ctx, w, io);
}

/**
 * What completes the command once the backing I/O completed (cmd_rw_aio_complete()).
 * @kernel drivers/target/target_core_file.c:cmd_rw_aio_complete
 */
export const TARGET_COMPLETE = 'target_complete_cmd';
