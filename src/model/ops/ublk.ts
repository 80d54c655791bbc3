import { EINVAL } from '../include/errno.js';
import { ublkEndRequest } from '../block/ublk.js';
import {
  ioBufferRegisterBvec,
  ioBufferUnregisterBvec,
  kernelBufCommit,
  kernelBufOf,
} from '../io_uring/rsrc.js';
import { actorOf, setReg } from '../core/world.js';
import { retString } from './dio.js';
import { finished, type OpDef, type StepOutcome, type StepEnv } from './types.js';
import { ownActor } from '../core/cow.js';

/**
 * A ublk server with zero copy (v6.15), on the pages of one ublk request, held under a handle:
 * `ublk register read|write H SLOT -> r` (UBLK_U_IO_REGISTER_IO_BUF: io_buffer_register_bvec() with
 * ublk_io_release(); the request's direction decides which fixed I/O the slot takes), `ublk unregister SLOT -> r` (UBLK_U_IO_UNREGISTER_IO_BUF) and `ublk commit H`
 * (UBLK_IO_COMMIT_AND_FETCH_REQ: the daemon completes the request). The io_uring READ_FIXED /
 * WRITE_FIXED on the slot are `uring read-fixed SLOT ...`.
 */
export type UblkOp =
  | {
      readonly op: 'ublk';
      readonly action: 'register';
      /** The ublk request's direction: a read request is filled by the server, a write one read from. */
      readonly dir: 'read' | 'write';
      readonly handle: string;
      readonly index: number;
      readonly reg: string;
    }
  | { readonly op: 'ublk'; readonly action: 'unregister'; readonly index: number; readonly reg: string }
  | { readonly op: 'ublk'; readonly action: 'commit'; readonly handle: string };

/** ublk_register_io_buf(): the request's pages go into the slot, with ublk_io_release(). */
function register(env: StepEnv, op: Extract<UblkOp, { action: 'register' }>): StepOutcome {
  const grab = actorOf(env.w, env.actor).held[op.handle];
  const r =
    grab === undefined
      ? -EINVAL
      : ioBufferRegisterBvec(
          env.ctx,
          env.w,
          // A request the daemon committed while another slot held it stays committed.
          {
            actor: env.actor,
            handle: op.handle,
            committed: kernelBufOf(env.w, env.actor, op.handle)?.kbuf?.committed ?? false,
            dir: op.dir,
          },
          env.mm,
          grab.folios,
          op.index,
        );
  setReg(ownActor(env.w, env.actor), op.reg, retString(r));
  return finished('io_buffer_register_bvec', r < 0 || grab === undefined ? [] : [...grab.folios], r);
}

/**
 * ublk_commit_and_fetch() -> ublk_sub_req_ref(): the daemon's completion ends the request unless a
 * registered buffer still holds it (ublk_sub_req_ref() subtracts the commit's share and the on-task
 * registrations, the 7.2 tree's :1201); then the last buffer's release ends it.
 * @kernel drivers/block/ublk_drv.c:ublk_sub_req_ref
 */
function commit(env: StepEnv, op: Extract<UblkOp, { action: 'commit' }>): StepOutcome {
  env.ctx.calls.push('ublk_sub_req_ref');
  const bufs = env.w.uring.filter((u) => u.kbuf?.actor === env.actor && u.kbuf.handle === op.handle);
  if (bufs.length > 0) {
    // Every slot that holds the request: the last one's release ends it (ublk_io_release).
    for (const buf of bufs) kernelBufCommit(env.w, buf);
    return finished('ublk_commit_and_fetch', [], 0);
  }
  return finished('ublk_commit_and_fetch', ublkEndRequest(env.ctx, env.w, env.actor, op.handle), 0);
}

export const ublkOp: OpDef<UblkOp> = {
  footprint: 'any',
  unavailable: (p) =>
    p['uring.kernelBuffers'] === 'absent'
      ? 'io_buffer_register_bvec() (ublk zero copy) does not exist before v6.15'
      : null,
  steps: [
    {
      name: 'ublk',
      run(env, op): StepOutcome {
        switch (op.action) {
          case 'register':
            return register(env, op);
          case 'commit':
            return commit(env, op);
          case 'unregister': {
            const r = ioBufferUnregisterBvec(env.ctx, env.w, op.index);
            setReg(ownActor(env.w, env.actor), op.reg, retString(r.ret));
            return finished('io_buffer_unregister_bvec', r.folios, r.ret);
          }
        }
      },
    },
  ],
};
