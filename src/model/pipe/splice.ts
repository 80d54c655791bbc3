import { EAGAIN, EFAULT, type KernelResult } from '../include/errno.js';
import type { File } from '../include/fs.js';
import type { OwnPipe } from '../include/pipe_fs_i.js';
import { genericPerformWrite } from '../mm/filemap-write.js';
import { importSingle, iovIterGetPages2, iovIterInit } from '../lib/iov_iter.js';
import { touchFreed } from '../mm/folio.js';
import { pinUserPages, putPage, unpinUserPage } from '../mm/gup.js';
import type { VmaRef } from '../mm/pgtable.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, type Draft } from '../core/cow.js';

/**
 * vmsplice() to a pipe -> iter_to_pipe(): iov_iter_get_pages2() on an ITER_SOURCE user iterator
 * (import_iovec(): ITER_IOVEC, ITER_UBUF from v6.4; a read-only GUP-fast with FOLL_GET) and one pipe buffer per page, holding that reference. The what-if
 * vmsplice.grab=pin takes a R/O FOLL_PIN instead (which unshares first).
 * @kernel fs/splice.c:iter_to_pipe
 */
export function vmspliceToPipe(ctx: Ctx, w: Draft, pipe: OwnPipe, at: VmaRef): KernelResult {
  ctx.calls.push('iter_to_pipe');
  if (ctx.policies['vmsplice.grab'] === 'pin') {
    const r = pinUserPages(ctx, w, at, 0);
    if (r.ret <= 0) return r.ret < 0 ? r.ret : -EFAULT;
    for (const folio of r.folios) pipe.bufs.push({ folio, grab: 'pin' });
    return r.folios.length;
  }
  const iter = iovIterInit(importSingle(ctx), false, [{ kind: 'user', mm: at.mm, vma: at.vma }]);
  const r = iovIterGetPages2(ctx, w, iter);
  if (r.ret < 0) return r.ret;
  for (const folio of r.folios) pipe.bufs.push({ folio, grab: 'ref' });
  return r.folios.length;
}

/** pipe_buf_release(): drop the pipe's hold on the page. @kernel include/linux/pipe_fs_i.h:pipe_buf_release */
function pipeBufRelease(ctx: Ctx, w: Draft, pipe: OwnPipe): void {
  const b = pipe.bufs.shift();
  if (b === undefined) return;
  const f = ownFolio(w, b.folio);
  if (b.grab === 'pin') unpinUserPage(ctx, w, f);
  else putPage(ctx, w, f);
}

/**
 * pipe_read(): copy the first buffer's page out (copy_page_to_iter), then release it.
 * Returns the data read, or null when the pipe is empty (-EAGAIN for O_NONBLOCK).
 * @kernel fs/pipe.c:pipe_read
 */
export function pipeRead(ctx: Ctx, w: Draft, pipe: OwnPipe): string | null {
  ctx.calls.push('pipe_read');
  const b = pipe.bufs[0];
  if (b === undefined) return null;
  const f = ownFolio(w, b.folio);
  touchFreed(ctx, f, 'cpu-read');
  const data = f.data;
  pipeBufRelease(ctx, w, pipe);
  return data;
}

/**
 * splice() from a pipe to a file -> iter_file_splice_write(): the pipe buffers become an ITER_BVEC
 * source for ->write_iter (a buffered write here), then are released.
 * @kernel fs/splice.c:iter_file_splice_write
 */
export function iterFileSpliceWrite(
  ctx: Ctx,
  w: Draft,
  pipe: OwnPipe,
  file: File,
  index: number,
): KernelResult {
  ctx.calls.push('iter_file_splice_write');
  const b = pipe.bufs[0];
  if (b === undefined) return -EAGAIN;
  const f = ownFolio(w, b.folio);
  touchFreed(ctx, f, 'cpu-read');
  genericPerformWrite(ctx, w, file, index, f.data);
  pipeBufRelease(ctx, w, pipe);
  return 1;
}
