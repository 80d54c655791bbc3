import { EFAULT, EIOCBQUEUED } from '../include/errno.js';
import { loRwAio, LOOP_COMPLETE } from '../drivers/loop.js';
import { fdExecuteRwAio, TARGET_COMPLETE } from '../drivers/target.js';
import { actorOf, setLocal, setReg } from '../core/world.js';
import { ownActor, ownDio } from '../core/cow.js';
import { dioCompleted, dioFinish, dioFlushBlocks } from '../fs/dio.js';
import { retString } from './dio.js';
import { fileByName } from './file.js';
import { finished, type Locals, type OpDef } from './types.js';

/**
 * A kernel ITER_BVEC user whose I/O outlives its iterator, over pages a held handle names:
 * `loop read f[0] into p as r` (the loop device's lo_rw_aio on backing file f) or
 * `lio read f[0] into p as r` (the SCSI target's fileio backend, fd_execute_rw_aio). Without `async`
 * the op ends with the request's completion; with it, the submitter goes on at once and `await r`
 * waits for the completion, so the owner can release its pages before it (the seed 004 bug).
 */
export interface KernelAioOp {
  readonly op: 'kernel-aio';
  readonly driver: 'loop' | 'lio';
  readonly rw: 'read' | 'write';
  readonly async: boolean;
  readonly file: string;
  readonly index: number;
  /** The held handle naming the owner's pages (the request's or the command's). */
  readonly handle: string;
  readonly as: string;
}

/** What a synchronous request keeps between its submission and its completion: the backing I/O. */
interface KernelAioLocals extends Locals {
  readonly dio: number;
}

const SUBMIT = { loop: loRwAio, lio: fdExecuteRwAio } as const;
const COMPLETE = { loop: LOOP_COMPLETE, lio: TARGET_COMPLETE } as const;

export const kernelAioOp: OpDef<KernelAioOp, KernelAioLocals> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'submit',
      // The backing file's ->read_iter / ->write_iter flush the page first and wait for a writeback in flight.
      enabled: (env, op) => !dioFlushBlocks(env.w, fileByName(env.w, op.file).id, op.index),
      run(env, op) {
        const st = ownActor(env.w, env.actor);
        const held = actorOf(env.w, env.actor).held[op.handle];
        const fn = op.driver === 'loop' ? 'lo_rw_aio' : 'fd_execute_rw_aio';
        if (held === undefined) {
          setReg(st, op.as, retString(-EFAULT));
          return finished(fn, [], -EFAULT);
        }
        const io = { rw: op.rw, file: fileByName(env.w, op.file), index: op.index, folios: held.folios };
        const r = SUBMIT[op.driver](env.ctx, env.w, { ...io, actor: env.actor, name: op.as });
        if (r.dio === null || (r.ret < 0 && r.ret !== -EIOCBQUEUED)) {
          setReg(st, op.as, retString(r.ret));
          return finished(fn, held.folios, r.ret);
        }
        if (op.async) {
          setReg(st, op.as, retString(-EIOCBQUEUED));
          return finished(fn, held.folios, -EIOCBQUEUED);
        }
        setLocal<KernelAioLocals, 'dio'>(st, 'dio', r.dio);
        return { fn, folios: held.folios, done: false, ret: null };
      },
    },
    {
      name: 'complete',
      enabled: (env, _op, { dio }) => dio !== undefined && dioCompleted(env.w, dio),
      run(env, op, { dio }) {
        const st = ownActor(env.w, env.actor);
        if (dio !== undefined) dioFinish(env.ctx, env.w, dio);
        const ret = dio === undefined ? 0 : (ownDio(env.w, dio).ret ?? 0);
        setReg(st, op.as, retString(ret));
        return finished(COMPLETE[op.driver], [], ret);
      },
    },
  ],
};
