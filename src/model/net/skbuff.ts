import { EFAULT, type KernelResult } from '../include/errno.js';
import type { OwnSkb, Skb } from '../include/skbuff.js';
import { fresh } from '../include/own.js';
import { importSingle, iovIterGetPages2, iovIterInit } from '../lib/iov_iter.js';
import { touchFreed } from '../mm/folio.js';
import { putPage } from '../mm/gup.js';
import { handleMmFault } from '../mm/memory/fault.js';
import { vmaAt, type VmaRef } from '../mm/pgtable.js';
import { folioOf, type World } from '../core/world.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownFolio, type Draft } from '../core/cow.js';

/**
 * The socket side of MSG_ZEROCOPY over TCP: sendmsg() builds an skb whose page fragment holds a
 * FOLL_GET reference on the user's page, the NIC reads the page when it transmits a clone, and the
 * peer's ACK frees the skb, which drops the reference and queues the completion on the socket's error
 * queue.
 * MODEL: one connected socket per program (SO_ZEROCOPY set), one page per send, one skb per send (no
 * coalescing of completions into ranges: msg_zerocopy_realloc() may merge a send's completion with
 * the next one's, which only delays it); the NIC agent stands for the wire and the peer's TCP (its
 * ACK). The stream is in order: the peer's recv() takes the data in send order and the cumulative ACK
 * frees the skbs in send order (tcpAck). The NIC may transmit any queued skb first: that stands for a
 * lost packet retransmitted later (__tcp_retransmit_skb() sends the same skb again and re-reads the
 * page; a lost packet cannot have reached the peer, so a late first transmission gives the same
 * outcomes). The device supports scatter-gather (NETIF_F_SG): without it, or without SO_ZEROCOPY,
 * tcp_sendmsg_locked() copies and the completion reports SO_EE_CODE_ZEROCOPY_COPIED (not modelled).
 * Over loopback deliver_skb() copies the fragments (skb_orphan_frags_rx()) when the clone reaches the
 * peer, which is the transmit's read here; the original still holds the page until the ACK.
 */

/** A new skb on the transmit queue. */
function skbAlloc(w: Draft, actor: number, name: string, folio: number | null, wire: string | null): Skb {
  const skb = fresh<Skb, OwnSkb>({
    id: w.skbs.length,
    actor,
    name,
    folio,
    wire,
    state: 'queued',
    received: false,
    reaped: false,
  });
  ownArray(w, 'skbs').push(skb);
  return skb;
}

/**
 * __zerocopy_sg_from_iter() (its page loop split out as zerocopy_fill_skb_from_iter() in the 6.12
 * and 7.2 trees; io_uring's own sg_from_iter aside): the user pages become the skb's fragments
 * through iov_iter_get_pages2() (iov_iter_get_pages() in the 5.10 tree), a FOLL_GET reference each,
 * from sendmsg()'s iterator (import_iovec(): ITER_IOVEC, ITER_UBUF from v6.4 for one segment),
 * held until the skb is freed. Every modelled release takes references: none pins, none copies.
 * @kernel net/core/datagram.c:zerocopy_fill_skb_from_iter
 */
export function zerocopyFillSkbFromIter(
  ctx: Ctx,
  w: Draft,
  at: VmaRef,
  actor: number,
  name: string,
): KernelResult {
  ctx.calls.push('zerocopy_fill_skb_from_iter');
  const iter = iovIterInit(importSingle(ctx), false, [{ kind: 'user', mm: at.mm, vma: at.vma }]);
  const r = iovIterGetPages2(ctx, w, iter);
  const folio = r.folios[0];
  if (r.ret <= 0 || folio === undefined) return r.ret < 0 ? r.ret : -EFAULT;
  skbAlloc(w, actor, name, folio, null);
  return 1;
}

/**
 * A send without MSG_ZEROCOPY: the data is copied into the skb at sendmsg() time
 * (skb_copy_to_page_nocache), and the user's page is free to change at once.
 * @kernel net/ipv4/tcp.c:tcp_sendmsg_locked
 */
export function sendmsgCopy(ctx: Ctx, w: Draft, at: VmaRef, actor: number, name: string): KernelResult {
  ctx.calls.push('skb_copy_to_page_nocache');
  if (handleMmFault(ctx, w, at, 'read') !== 0) return -EFAULT;
  const pte = vmaAt(w, at).pte;
  if (pte.kind !== 'present') return -EFAULT;
  skbAlloc(w, actor, name, null, folioOf(w, pte.folio).data);
  return 1;
}

/**
 * What the NIC agent can do now: transmit any queued skb (a later first transmission stands for a lost
 * and retransmitted packet), then have the peer acknowledge the oldest unacknowledged skb once it is
 * sent: the ACK is cumulative, so tcp_clean_rtx_queue() frees the retransmit queue from its head and
 * stops at the first skb not wholly below snd_una (5.10.262 net/ipv4/tcp_input.c:3289/3296, 6.1.176
 * :3336/3343, 6.12.117 :3379/3386, 7.2.13 :3622/3629). Ids of skbs to transmit, then of skbs to free.
 */
export function nicChoices(w: World): { readonly transmit: number[]; readonly ack: number[] } {
  const oldest = w.skbs.find((s) => s.state !== 'acked');
  return {
    transmit: w.skbs.filter((s) => s.state === 'queued').map((s) => s.id),
    ack: oldest !== undefined && oldest.state === 'sent' && oldest.folio !== null ? [oldest.id] : [],
  };
}

/**
 * The NIC transmits an skb: __tcp_transmit_skb() sends a clone (skb_clone(), pskb_copy() when already
 * cloned: 5.10.262 net/ipv4/tcp_output.c:1265, 6.1.176 :1265, 6.12.117 :1315, 7.2.13 :1561) and the
 * device reads the fragment's page onto the wire (dev_hard_start_xmit). The clone shares the
 * fragments, so freeing it at TX completion releases nothing: the original stays on the retransmit
 * queue holding the page reference until the peer acknowledges the data (tcpAck). A copying send
 * holds no user page: it is done here.
 * MODEL: no loss, so no retransmission re-reading the page between the transmit and the ACK.
 * @kernel net/ipv4/tcp_output.c:__tcp_transmit_skb
 */
export function nicTransmit(ctx: Ctx, w: Draft, skb: OwnSkb): number[] {
  ctx.calls.push('__tcp_transmit_skb', 'dev_hard_start_xmit');
  if (skb.folio === null) {
    skb.state = 'acked';
    return [];
  }
  skb.state = 'sent';
  const f = ownFolio(w, skb.folio);
  skb.wire = touchFreed(ctx, f, 'dma-read') ? null : f.data;
  return [f.id];
}

/**
 * The peer's ACK frees the skb: tcp_ack() -> tcp_clean_rtx_queue() -> tcp_rtx_queue_unlink_and_free()
 * -> skb_release_data(), which, the data's last user, runs skb_zcopy_clear() -> msg_zerocopy_callback()
 * (sock_zerocopy_callback() in the 5.10 tree), queueing the completion on the socket's error queue,
 * and drops the fragment's page reference (5.10.262 net/core/skbuff.c:625, 6.1.176 :779,
 * 6.12.117 :1108, 7.2.13 :1110; tcp_clean_rtx_queue: 5.10.262 net/ipv4/tcp_input.c:3366, 6.1.176
 * :3412, 6.12.117 :3455, 7.2.13 :3698). So the completion means "acknowledged", not "transmitted".
 * @kernel net/ipv4/tcp_input.c:tcp_clean_rtx_queue
 * @kernel net/core/skbuff.c:__msg_zerocopy_callback
 */
export function tcpAck(ctx: Ctx, w: Draft, skb: OwnSkb): number[] {
  ctx.calls.push('tcp_clean_rtx_queue', 'skb_release_data', 'msg_zerocopy_callback');
  skb.state = 'acked';
  if (skb.folio === null) return [];
  const f = ownFolio(w, skb.folio);
  putPage(ctx, w, f);
  return [f.id];
}

/**
 * The packet the peer's recv() takes next: the oldest one it has not received, once that one is on the
 * wire. TCP delivers the stream in order (tcp_recvmsg() copies from the receive queue in sequence;
 * a later segment that arrives first waits in the out-of-order queue), so a later send's data never
 * overtakes an earlier send's.
 * @kernel net/ipv4/tcp.c:tcp_recvmsg
 */
export function nextPacket(w: World): Skb | undefined {
  const s = w.skbs.find((x) => !x.received);
  return s !== undefined && s.state !== 'queued' ? s : undefined;
}

/** The completion of send `name` of `actor` is on the error queue, not yet read. */
export function errqueueEntry(w: World, actor: number, name: string): Skb | undefined {
  for (let i = w.skbs.length - 1; i >= 0; i--) {
    const s = w.skbs[i];
    if (s && s.actor === actor && s.name === name) return s;
  }
  return undefined;
}
