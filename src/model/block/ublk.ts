import type { KernelBuf } from '../include/io_uring_types.js';
import { folioPut } from '../mm/folio.js';
import type { Ctx } from '../core/ctx.js';
import { ownActor, ownFolio, type Draft } from '../core/cow.js';
import { unhold } from '../core/world.js';

/**
 * __ublk_complete_rq() -> blk_mq_end_request(): the ublk request ends and whoever submitted it frees
 * its pages. Returns them.
 * MODEL: the request's pages are the driver actor's handle; ending the request drops the handle's
 * reference, as the submitter's completion frees its buffer.
 * @kernel drivers/block/ublk_drv.c:__ublk_complete_rq
 */
export function ublkEndRequest(ctx: Ctx, w: Draft, actor: number, handle: string): number[] {
  ctx.calls.push('blk_mq_end_request');
  const st = ownActor(w, actor);
  const grab = st.held[handle];
  if (grab === undefined) return [];
  unhold(st, handle);
  for (const id of grab.folios) folioPut(ctx, w, ownFolio(w, id));
  return [...grab.folios];
}

/**
 * ublk_io_release(), the release callback of a registered request buffer: it drops the buffer's
 * reference on the request (task_registered_buffers before the commit, ublk_put_req_ref() after it);
 * a request the daemon already committed ends with the release of its last registered buffer (one
 * request may be registered in several slots: ublk_daemon_register_io_buf() counts each, the 7.2
 * tree's drivers/block/ublk_drv.c:3222).
 * MODEL: the request's references are facts: each registered buffer (the released one has already left
 * the table), and the daemon's commit.
 * @kernel drivers/block/ublk_drv.c:ublk_io_release
 */
export function ublkIoRelease(ctx: Ctx, w: Draft, kbuf: KernelBuf): number[] {
  ctx.calls.push('ublk_io_release');
  const held = w.uring.some((u) => u.kbuf?.actor === kbuf.actor && u.kbuf.handle === kbuf.handle);
  return kbuf.committed && !held ? ublkEndRequest(ctx, w, kbuf.actor, kbuf.handle) : [];
}
