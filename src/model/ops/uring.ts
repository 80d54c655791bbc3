import type { DioPath } from '../include/blk_types.js';
import { EFAULT } from '../include/errno.js';
import {
  ioRsrcNodePut,
  ioSqeBufferRegister,
  ioSqeBuffersUnregister,
  ioUnregisterWaits,
  registeredBuf,
} from '../io_uring/rsrc.js';
import { ioRwFixed } from '../io_uring/rw.js';
import { actorOf, dioOf, setLocal, setReg } from '../sim/world.js';
import { resolveBuf } from './buf.js';
import { retString } from './dio.js';
import { fileIdByName } from './file.js';
import { finished, type OpDef } from './types.js';
import { ownActor } from '../sim/cow.js';

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
  enabled: () => true,
  step(env, op) {
    const at = resolveBuf(env, op.buf);
    const r = at === null ? -EFAULT : ioSqeBufferRegister(env.ctx, env.w, at, op.index);
    setReg(ownActor(env.w, env.actor), op.reg, retString(r));
    const folios = registeredBuf(env.w, op.index)?.folios ?? [];
    return finished('io_sqe_buffer_register', r < 0 ? [] : folios, r);
  },
};

export const uringRwOp: OpDef<UringRwOp> = {
  footprint: 'any',
  unavailable: (p) => (p['uring.fixedBuffers'] === 'absent' ? NO_URING : null),
  enabled(env) {
    const st = actorOf(env.w, env.actor);
    const id = st.locals.dio;
    return st.phase === 0 || (typeof id === 'number' && dioOf(env.w, id).done);
  },
  step(env, op) {
    const st = ownActor(env.w, env.actor);
    const fn = op.rw === 'read' ? 'io_read' : 'io_write';
    if (st.phase === 0) {
      const file = fileIdByName(env.w, op.file);
      const r = ioRwFixed(env.ctx, env.w, op.rw, op.index, op.path, file, op.fileIndex, env.actor, op.as);
      const folios = registeredBuf(env.w, op.index)?.folios ?? [];
      if (r.dio === null || r.node === null) {
        setReg(st, op.as, retString(r.ret));
        return finished(fn, [], r.ret);
      }
      setLocal(st, 'dio', r.dio);
      setLocal(st, 'node', r.node);
      return { fn, folios, done: false, ret: null };
    }
    const dio = dioOf(env.w, typeof st.locals.dio === 'number' ? st.locals.dio : -1);
    const ret = dio.ret ?? 0;
    setReg(st, op.as, retString(ret));
    const unmapped = ioRsrcNodePut(env.ctx, env.w, typeof st.locals.node === 'number' ? st.locals.node : -1);
    return finished('io_req_complete_post', unmapped, ret);
  },
};

export const uringUnregisterOp: OpDef<UringUnregisterOp> = {
  footprint: 'any',
  unavailable: (p) => (p['uring.fixedBuffers'] === 'absent' ? NO_URING : null),
  enabled: (env) => !ioUnregisterWaits(env.ctx, env.w),
  step(env, op) {
    return finished('io_sqe_buffers_unregister', ioSqeBuffersUnregister(env.ctx, env.w, op.index), 0);
  },
};
