import type { Own } from './own.js';

/**
 * struct sk_buff of a MSG_ZEROCOPY send, as plain data: one page fragment (skb_shinfo()->frags[0])
 * and the ubuf_info whose completion is queued on the socket's error queue.
 * @kernel include/linux/skbuff.h
 */

/**
 * Where an skb is in its life: `queued`, built by sendmsg and waiting in the write queue (its
 * fragment holds the page); `sent`, the NIC read the page onto the wire (a clone was transmitted)
 * and the skb waits on the retransmit queue, still holding the page; `acked`, the peer acknowledged
 * the data and the skb was freed (its page released, the completion queued on the error queue).
 */
export type SkbState = 'queued' | 'sent' | 'acked';

export interface Skb {
  readonly id: number;
  /** The sending actor and its handle (the register `send ... as Z` names). */
  readonly actor: number;
  readonly name: string;
  /** The fragment's page, or null for a copying send (the data is in the skb's own head). */
  readonly folio: number | null;
  /** What a copying send copied at sendmsg time; what the NIC read once sent. */
  readonly wire: string | null;
  readonly state: SkbState;
  /** The peer received the packet (recv). */
  readonly received: boolean;
  /** The sender read the completion from the error queue (recvmsg(MSG_ERRQUEUE)). */
  readonly reaped: boolean;
}

/** A step's own copy of an skb (ownSkb). */
export type OwnSkb = Own<Skb, 'wire' | 'state' | 'received' | 'reaped'>;
