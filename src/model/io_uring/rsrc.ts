import { EBUSY, EOPNOTSUPP, type KernelResult } from '../include/errno.js';
import { FOLL_LONGTERM, FOLL_WRITE } from '../include/foll.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import { getUserPages, pinUserPages, putPage, unpinUserPage } from '../mm/gup.js';
import { vmaAt, type VmaRef } from '../mm/pgtable.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownFile, ownFolio, type Draft } from '../core/cow.js';

/**
 * io_sqe_buffer_register() -> io_pin_pages(): pin the buffer FOLL_WRITE | FOLL_LONGTERM (references
 * through get_user_pages where FOLL_PIN does not exist yet). Until v6.5 io_uring itself refused file
 * VMAs, shared or private (-EOPNOTSUPP): all but hugetlbfs until v5.14, then all but shmem and
 * hugetlbfs; since v6.5 GUP refuses writable longterm pins of mappings that need dirty tracking (-EFAULT).
 * @kernel io_uring/rsrc.c:io_sqe_buffer_register
 */
export function ioSqeBufferRegister(ctx: Ctx, w: Draft, at: VmaRef, index: number): KernelResult {
  ctx.calls.push('io_sqe_buffer_register');
  if (w.uring.some((u) => u.index === index)) return -EBUSY;
  const vma = vmaAt(w, at);
  const rule = ctx.policies['uring.fixedBuffers'];
  if ((rule === 'refuse-non-hugetlbfs' || rule === 'refuse-non-shmem') && vma.backing.type === 'file') {
    const file = ownFile(w, vma.backing.file);
    if (rule === 'refuse-non-hugetlbfs' ? file.fs !== 'hugetlbfs' : !fileIsMemoryBacked(file))
      return -EOPNOTSUPP;
  }
  const pin = ctx.policies['gup.pin'] === 'counted';
  const r = pin ? pinUserPages(ctx, w, at, FOLL_WRITE | FOLL_LONGTERM) : getUserPages(ctx, w, at, FOLL_WRITE);
  if (r.ret < 0) return r.ret;
  ownArray(w, 'uring').push({ index, mm: at.mm, folios: r.folios, grab: pin ? 'pin' : 'ref' });
  return 0;
}

/**
 * io_buffer_unmap(): unpin every page of the registered buffer, without dirtying it.
 * @kernel io_uring/rsrc.c:io_buffer_unmap
 */
export function ioBufferUnmap(ctx: Ctx, w: Draft, index: number): number[] {
  ctx.calls.push('io_buffer_unmap');
  const i = w.uring.findIndex((u) => u.index === index);
  const buf = w.uring[i];
  if (buf === undefined) return [];
  ownArray(w, 'uring').splice(i, 1);
  for (const id of buf.folios) {
    const f = ownFolio(w, id);
    if (buf.grab === 'pin') unpinUserPage(ctx, w, f);
    else putPage(ctx, w, f);
  }
  return [...buf.folios];
}
