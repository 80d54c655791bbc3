import { EBUSY, EINVAL, EOPNOTSUPP, type KernelResult } from '../include/errno.js';
import { FOLL_LONGTERM, FOLL_WRITE } from '../include/foll.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import { getUserPages, pinUserPages, putPage, unpinUserPage } from '../mm/gup.js';
import { vmaAt, type VmaRef } from '../mm/pgtable.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownFile, ownFolio, type Draft } from '../core/cow.js';
import type { World } from '../core/world.js';
import type { KernelBuf, UringBuf } from '../include/io_uring_types.js';
import { ublkIoRelease } from '../block/ublk.js';

/** The most slots a buffer table may have (policy uring.maxBuffers). */
const MAX_BUFFERS = { 'uio-maxiov': 1024, 'max-reg-buffers': 16384 } as const;

/**
 * io_sqe_buffers_register() -> io_sqe_buffer_register() -> io_pin_pages(): a table of `index + 1`
 * slots, more than the release allows refused with -EINVAL (policy uring.maxBuffers); pin the buffer
 * FOLL_WRITE | FOLL_LONGTERM (before FOLL_PIN, v5.2 to v5.5: get_user_pages() with FOLL_WRITE |
 * FOLL_LONGTERM, a longterm reference; v5.1: get_user_pages_longterm()). Until v6.5 io_uring itself
 * refused file VMAs, shared or private (-EOPNOTSUPP): all but hugetlbfs until v5.14, then all but shmem
 * and hugetlbfs; since v6.5 GUP refuses writable longterm pins of mappings that need dirty tracking
 * (-EFAULT).
 * MODEL: one buffer per slot; the table's other slots are sparse (empty).
 * @kernel io_uring/rsrc.c:io_sqe_buffers_register
 * @kernel io_uring/rsrc.c:io_sqe_buffer_register
 */
export function ioSqeBufferRegister(ctx: Ctx, w: Draft, at: VmaRef, index: number): KernelResult {
  ctx.calls.push('io_sqe_buffer_register');
  if (index + 1 > MAX_BUFFERS[ctx.policies['uring.maxBuffers']]) return -EINVAL;
  if (registeredBuf(w, index) !== undefined || quiescing(ctx, w, index)) return -EBUSY;
  const vma = vmaAt(w, at);
  const rule = ctx.policies['uring.fixedBuffers'];
  if ((rule === 'refuse-non-hugetlbfs' || rule === 'refuse-non-shmem') && vma.backing.type === 'file') {
    const file = ownFile(w, vma.backing.file);
    if (rule === 'refuse-non-hugetlbfs' ? file.fs !== 'hugetlbfs' : !fileIsMemoryBacked(file))
      return -EOPNOTSUPP;
  }
  const pin = ctx.policies['gup.pin'] === 'counted';
  const flags = FOLL_WRITE | FOLL_LONGTERM;
  const r = pin ? pinUserPages(ctx, w, at, flags) : getUserPages(ctx, w, at, flags);
  if (r.ret < 0) return r.ret;
  const node = w.uring.reduce((max, u) => Math.max(max, u.node + 1), 0);
  ownArray(w, 'uring').push({
    index,
    mm: at.mm,
    folios: r.folios,
    grab: pin ? 'pin' : 'ref',
    node,
    users: 0,
    unregistered: false,
    kbuf: null,
  });
  return 0;
}

/** The buffer registered at `index` in the table (not one unregistered while still in use). */
export function registeredBuf(w: World, index: number): UringBuf | undefined {
  return w.uring.find((u) => u.index === index && !u.unregistered);
}

/**
 * io_req_assign_buf_node() (io_req_set_rsrc_node() before the node rework): an issued request takes a
 * reference on the buffer's rsrc node, which unregistering waits for or leaves to the request.
 * Returns the node the request holds.
 * @kernel io_uring/rsrc.c:io_find_buf_node
 */
export function ioRsrcNodeGet(w: Draft, buf: UringBuf): number {
  replaceBuf(w, buf, { ...buf, users: buf.users + 1 });
  return buf.node;
}

/**
 * io_put_rsrc_node() when a request that held a buffer's node is freed: the last user of a buffer
 * unregistered meanwhile unmaps it (io_free_rsrc_node() -> io_buffer_unmap()).
 * MODEL: the request is freed when its submitter reaps the completion.
 * @kernel io_uring/rsrc.h:io_put_rsrc_node
 */
export function ioRsrcNodePut(ctx: Ctx, w: Draft, node: number): number[] {
  const buf = w.uring.find((u) => u.node === node);
  if (buf === undefined) return [];
  if (buf.users === 1 && buf.unregistered) return ioBufferUnmap(ctx, w, buf);
  replaceBuf(w, buf, { ...buf, users: buf.users - 1 });
  return [];
}

/** Whether unregistering must wait: the rsrc quiesce waits until no request holds any buffer. */
export function ioUnregisterWaits(ctx: Ctx, w: World): boolean {
  return ctx.policies['uring.unregisterInFlight'] === 'quiesce' && w.uring.some((u) => u.users > 0);
}

/**
 * Slot `index` is being unregistered behind a quiesce that still waits: the table is hidden
 * (nr_user_bufs = 0) but still exists, so registering is refused with -EBUSY (5.10.262
 * io_uring/io_uring.c:9048, 6.1.176 io_uring/rsrc.c:1118, 6.12.117 :1046).
 */
function quiescing(ctx: Ctx, w: World, index: number): boolean {
  return (
    ctx.policies['uring.unregisterInFlight'] === 'quiesce' &&
    w.uring.some((u) => u.index === index && u.unregistered)
  );
}

/**
 * io_sqe_buffers_unregister() for one slot. With the quiesce (the 5.x to 6.12 trees) it hides the
 * table first (nr_user_bufs = 0: 5.10.262 io_uring/io_uring.c:8804, 6.1.176 io_uring/rsrc.c:902,
 * 6.12.117 :787), so a fixed request submitted from then on fails with -EFAULT (its buf_index is past
 * nr_user_bufs: 5.10.262 io_uring/io_uring.c:3006, 6.1.176 io_uring/rw.c:91, 6.12.117 :347), then
 * waits in io_rsrc_ref_quiesce() until no request holds the table (ioUnregisterWaits) and unmaps.
 * With per-node references (the 7.2 tree) a buffer still in use leaves the table now and is unmapped
 * by its last request. Either way a buffer in use is marked unregistered (out of the table) and its
 * last request unmaps it; returns the folios unmapped now, or null when the caller must wait for the
 * quiesce (uring-unregister's second step).
 * MODEL: one slot, not the whole table.
 * @kernel io_uring/rsrc.c:io_sqe_buffers_unregister
 */
export function ioSqeBuffersUnregister(ctx: Ctx, w: Draft, index: number): number[] | null {
  const buf = registeredBuf(w, index);
  if (buf === undefined) return ioUnregisterWaits(ctx, w) ? null : [];
  if (buf.users > 0) {
    replaceBuf(w, buf, { ...buf, unregistered: true });
    return ioUnregisterWaits(ctx, w) ? null : [];
  }
  if (ioUnregisterWaits(ctx, w)) {
    replaceBuf(w, buf, { ...buf, unregistered: true });
    return null;
  }
  return ioBufferUnmap(ctx, w, buf);
}

/**
 * The end of io_sqe_buffers_unregister() once io_rsrc_ref_quiesce() returned (no request holds the
 * table): the hidden slot's buffer is unmapped unless its last request already did it.
 */
export function ioSqeBuffersUnregisterQuiesced(ctx: Ctx, w: Draft, index: number): number[] {
  const buf = w.uring.find((u) => u.index === index && u.unregistered && u.users === 0);
  return buf === undefined ? [] : ioBufferUnmap(ctx, w, buf);
}

/** A registered buffer is never written: a change replaces it in the draft's own array. */
function replaceBuf(w: Draft, old: UringBuf, next: UringBuf): void {
  const all = ownArray(w, 'uring');
  all[all.indexOf(old)] = next;
}

/**
 * io_buffer_unmap(): unpin every page of the registered buffer, without dirtying it; a kernel
 * driver's buffer holds nothing itself and calls the driver's release instead (imu->release()).
 * @kernel io_uring/rsrc.c:io_buffer_unmap
 */
function ioBufferUnmap(ctx: Ctx, w: Draft, buf: UringBuf): number[] {
  ctx.calls.push('io_buffer_unmap');
  const all = ownArray(w, 'uring');
  all.splice(all.indexOf(buf), 1);
  if (buf.kbuf !== null) return ublkIoRelease(ctx, w, buf.kbuf);
  for (const id of buf.folios) {
    const f = ownFolio(w, id);
    if (buf.grab === 'pin') unpinUserPage(ctx, w, f);
    else putPage(ctx, w, f);
  }
  return [...buf.folios];
}

/**
 * io_buffer_register_bvec() (v6.15): a driver (ublk, for a request the daemon serves with zero copy)
 * puts the request's pages in slot `index` as an ITER_BVEC buffer with its release callback. Nothing
 * is referenced or pinned: the request owns the pages until the release runs. -EBUSY when the slot
 * is taken.
 * @kernel io_uring/rsrc.c:io_buffer_register_bvec
 */
export function ioBufferRegisterBvec(
  ctx: Ctx,
  w: Draft,
  kbuf: KernelBuf,
  mm: number,
  folios: readonly number[],
  index: number,
): KernelResult {
  ctx.calls.push('io_buffer_register_bvec');
  if (registeredBuf(w, index) !== undefined) return -EBUSY;
  const node = w.uring.reduce((max, u) => Math.max(max, u.node + 1), 0);
  ownArray(w, 'uring').push({ index, mm, folios, grab: 'none', node, users: 0, unregistered: false, kbuf });
  return 0;
}

/**
 * io_buffer_unregister_bvec(): the slot's own reference on the node is dropped (io_put_rsrc_node());
 * a request still holding the node keeps the buffer, and the release runs when the last one ends.
 * -EINVAL for an empty slot, -EBUSY for a user buffer. Returns the result and the folios released.
 * @kernel io_uring/rsrc.c:io_buffer_unregister_bvec
 */
export function ioBufferUnregisterBvec(
  ctx: Ctx,
  w: Draft,
  index: number,
): { ret: KernelResult; folios: number[] } {
  ctx.calls.push('io_buffer_unregister_bvec');
  const buf = registeredBuf(w, index);
  if (buf === undefined) return { ret: -EINVAL, folios: [] };
  if (buf.kbuf === null) return { ret: -EBUSY, folios: [] };
  if (buf.users > 0) {
    replaceBuf(w, buf, { ...buf, unregistered: true });
    return { ret: 0, folios: [] };
  }
  return { ret: 0, folios: ioBufferUnmap(ctx, w, buf) };
}

/** The kernel buffer still registered or in use for a driver's request, if any. */
export function kernelBufOf(w: World, actor: number, handle: string): UringBuf | undefined {
  return w.uring.find((u) => u.kbuf?.actor === actor && u.kbuf.handle === handle);
}

/** The daemon committed the request while io_uring still holds its buffer: it ends at the release. */
export function kernelBufCommit(w: Draft, buf: UringBuf): void {
  if (buf.kbuf !== null) replaceBuf(w, buf, { ...buf, kbuf: { ...buf.kbuf, committed: true } });
}
