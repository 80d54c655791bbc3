import type { DioPath } from '../include/blk_types.js';
import { EFAULT } from '../include/errno.js';
import {
  ioRsrcNodePut,
  ioSqeBufferRegister,
  ioSqeBuffersUnregister,
  ioSqeBuffersUnregisterQuiesced,
  ioUnregisterWaits,
  registeredBuf,
} from '../io_uring/rsrc.js';
import { ioRwFixed } from '../io_uring/rw.js';
import { dioCompleted, dioFinish, dioFlushBlocks } from '../fs/dio.js';
import { bug, dioOf, setLocal, setReg } from '../core/world.js';
import { resolveBuf } from './buf.js';
import { retString, type DioLocals } from './dio.js';
import { fileIdByName } from './file.js';
import { finished, type OpDef } from './types.js';
import { ownActor } from '../core/cow.js';

/** IORING_REGISTER_BUFFERS of one buffer at `index`: `uring register buf 0 -> r`. */
export interface UringRegisterOp {
  readonly op: 'uring-register';
  readonly buf: string;
  readonly index: number;
  readonly reg: string;
}

/** IORING_OP_READ_FIXED / WRITE_FIXED with O_DIRECT on `file` page `fileIndex`, waiting for the CQE. */
export interface UringRwOp {
  readonly op: 'uring-rw';
  readonly rw: 'read' | 'write';
  readonly index: number;
  readonly path: DioPath;
  readonly file: string;
  readonly fileIndex: number;
  readonly as: string;
}

/** IORING_UNREGISTER_BUFFERS for buffer `index`. */
export interface UringUnregisterOp {
  readonly op: 'uring-unregister';
  readonly index: number;
}

const NO_URING = 'io_uring does not exist before v5.1';

export const uringRegisterOp: OpDef<UringRegisterOp> = {
  footprint: 'any',
  unavailable: (p) => (p['uring.fixedBuffers'] === 'absent' ? NO_URING : null),
  steps: [
    {
      name: 'uringRegister',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        const r = at === null ? -EFAULT : ioSqeBufferRegister(env.ctx, env.w, at, op.index);
        setReg(ownActor(env.w, env.actor), op.reg, retString(r));
        const folios = registeredBuf(env.w, op.index)?.folios ?? [];
        return finished('io_sqe_buffer_register', r < 0 ? [] : folios, r);
      },
    },
  ],
};

/** What a fixed-buffer request keeps until it completes: the request and the buffer node it holds. */
interface UringRwLocals extends DioLocals {
  readonly node: number;
}

export const uringRwOp: OpDef<UringRwOp, UringRwLocals> = {
  footprint: 'any',
  unavailable: (p) => (p['uring.fixedBuffers'] === 'absent' ? NO_URING : null),
  steps: [
    {
      name: 'submit',
      // ->read_iter / ->write_iter flush the page first and wait for a writeback in flight.
      enabled: (env, op) => !dioFlushBlocks(env.w, fileIdByName(env.w, op.file), op.fileIndex),
      run(env, op) {
        const st = ownActor(env.w, env.actor);
        const fn = op.rw === 'read' ? 'io_read' : 'io_write';
        const file = fileIdByName(env.w, op.file);
        const r = ioRwFixed(env.ctx, env.w, op.rw, op.index, op.path, file, op.fileIndex, env.actor, op.as);
        const folios = registeredBuf(env.w, op.index)?.folios ?? [];
        if (r.dio === null || r.node === null) {
          setReg(st, op.as, retString(r.ret));
          return finished(fn, [], r.ret);
        }
        setLocal<UringRwLocals, 'dio'>(st, 'dio', r.dio);
        setLocal<UringRwLocals, 'node'>(st, 'node', r.node);
        return { fn, folios, done: false, ret: null };
      },
    },
    {
      name: 'complete',
      enabled: (env, _op, { dio }) => dio !== undefined && dioCompleted(env.w, dio),
      run(env, op, { dio, node }) {
        const id = dio ?? bug('uring-rw', 'no request to complete');
        dioFinish(env.ctx, env.w, id);
        const ret = dioOf(env.w, id).ret ?? 0;
        setReg(ownActor(env.w, env.actor), op.as, retString(ret));
        const unmapped = ioRsrcNodePut(env.ctx, env.w, node ?? bug('uring-rw', 'no buffer node to put'));
        return finished('io_req_complete_post', unmapped, ret);
      },
    },
  ],
};

/**
 * IORING_UNREGISTER_BUFFERS: at once when no request holds the table (or, from the per-node rework, in
 * any case); with the quiesce and a request in flight, the slot is hidden first (a fixed request
 * submitted meanwhile fails with -EFAULT) and the call returns once the quiesce is over.
 */
export const uringUnregisterOp: OpDef<UringUnregisterOp> = {
  footprint: 'any',
  unavailable: (p) => (p['uring.fixedBuffers'] === 'absent' ? NO_URING : null),
  steps: [
    {
      name: 'io_sqe_buffers_unregister',
      run(env, op) {
        const r = ioSqeBuffersUnregister(env.ctx, env.w, op.index);
        if (r === null) return { fn: 'io_sqe_buffers_unregister', folios: [], done: false, ret: null };
        return finished('io_sqe_buffers_unregister', r, 0);
      },
    },
    {
      name: 'io_rsrc_ref_quiesce',
      enabled: (env) => !ioUnregisterWaits(env.ctx, env.w),
      run(env, op) {
        return finished('io_rsrc_ref_quiesce', ioSqeBuffersUnregisterQuiesced(env.ctx, env.w, op.index), 0);
      },
    },
  ],
};
