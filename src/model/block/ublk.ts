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
 * reference on the request (ublk_put_req_ref()); a request the daemon already committed ends now.
 * MODEL: the request's references are two facts: the buffer is registered, the daemon committed.
 * @kernel drivers/block/ublk_drv.c:ublk_io_release
 */
export function ublkIoRelease(ctx: Ctx, w: Draft, kbuf: KernelBuf): number[] {
  ctx.calls.push('ublk_io_release');
  return kbuf.committed ? ublkEndRequest(ctx, w, kbuf.actor, kbuf.handle) : [];
}
