import { EAGAIN } from '../include/errno.js';
import { errqueueEntry, nextPacket, sendmsgCopy, zerocopyFillSkbFromIter } from '../net/skbuff.js';
import { ownActor, ownSkb } from '../core/cow.js';
import { setReg } from '../core/world.js';
import { resolveBuf, segv } from './buf.js';
import { retString } from './dio.js';
import { finished, type OpDef } from './types.js';

/**
 * sendmsg() of one page of `buf` on the program's socket: `send buf zerocopy as z` (MSG_ZEROCOPY: the
 * skb borrows the page; its completion is read later with `errqueue z`) or `send buf as z` (copied).
 */
export interface SendOp {
  readonly op: 'send';
  readonly buf: string;
  readonly zerocopy: boolean;
  /** Register for sendmsg()'s result (pages sent, or an errno name); the handle `errqueue` names. */
  readonly as: string;
}

/** The peer's recv() of the next packet on the wire into a register (waits until one arrives). */
export interface RecvOp {
  readonly op: 'recv';
  readonly reg: string;
}

/**
 * poll(POLLERR) then recvmsg(MSG_ERRQUEUE): wait for the zerocopy completion of send `as` and read
 * it (register `reg`: "zerocopy" once read).
 */
export interface ErrqueueOp {
  readonly op: 'errqueue';
  readonly as: string;
  readonly reg: string;
}

/** @kernel net/socket.c:__sys_sendmsg (tcp_sendmsg_locked -> skb_zerocopy_iter_stream with MSG_ZEROCOPY) */
export const sendOp: OpDef<SendOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'sendmsg',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('sendmsg');
        const r = op.zerocopy
          ? zerocopyFillSkbFromIter(env.ctx, env.w, at, env.actor, op.as)
          : sendmsgCopy(env.ctx, env.w, at, env.actor, op.as);
        setReg(ownActor(env.w, env.actor), op.as, retString(r));
        const folio = r > 0 ? env.w.skbs[env.w.skbs.length - 1]?.folio : null;
        return finished('sendmsg', folio === null || folio === undefined ? [] : [folio], r);
      },
    },
  ],
};

/** @kernel net/ipv4/tcp.c:tcp_recvmsg (on the peer: the packet as the wire carried it) */
export const recvOp: OpDef<RecvOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'recvmsg',
      enabled: (env) => nextPacket(env.w) !== undefined,
      run(env, op) {
        const p = nextPacket(env.w);
        if (p === undefined) return finished('recvmsg', [], -EAGAIN);
        const skb = ownSkb(env.w, p.id);
        skb.received = true;
        setReg(ownActor(env.w, env.actor), op.reg, skb.wire ?? retString(-EAGAIN));
        return finished('recvmsg', [], 1);
      },
    },
  ],
};

/** @kernel net/ipv4/ip_sockglue.c:ip_recv_error (sock_dequeue_err_skb: the SO_EE_ORIGIN_ZEROCOPY entry) */
export const errqueueOp: OpDef<ErrqueueOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'recvmsg-errqueue',
      // The completion is queued when the peer's ACK frees the skb (tcpAck), not at transmission. A
      // failed or copying send queues none: there is nothing to wait for (MODEL: EAGAIN at once,
      // where poll(POLLERR) would block).
      enabled(env, op) {
        const s = errqueueEntry(env.w, env.actor, op.as);
        return s === undefined || s.folio === null || s.state === 'acked';
      },
      run(env, op) {
        const st = ownActor(env.w, env.actor);
        const s = errqueueEntry(env.w, env.actor, op.as);
        if (s === undefined || s.folio === null || s.reaped) {
          setReg(st, op.reg, retString(-EAGAIN));
          return finished('ip_recv_error', [], -EAGAIN);
        }
        ownSkb(env.w, s.id).reaped = true;
        setReg(st, op.reg, 'zerocopy');
        return finished('ip_recv_error', [], 1);
      },
    },
  ],
};
