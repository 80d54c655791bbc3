import { EAGAIN, EFAULT } from '../include/errno.js';
import type { OwnPipe } from '../include/pipe_fs_i.js';
import { iterFileSpliceWrite, pipeRead, vmspliceToPipe } from '../pipe/splice.js';
import { ownActor, ownPipe, type Draft } from '../core/cow.js';
import { bug, setReg } from '../core/world.js';
import { resolveBuf, segv } from './buf.js';
import { retString } from './dio.js';
import { fileByName } from './file.js';
import { finished, type OpDef } from './types.js';

/** vmsplice(pipe, buf): `vmsplice buf -> p`. */
export interface VmspliceOp {
  readonly op: 'vmsplice';
  readonly buf: string;
  readonly pipe: string;
}

/** read() from a pipe into a register (O_NONBLOCK: "EAGAIN" when empty). */
export interface PipeReadOp {
  readonly op: 'pipe-read';
  readonly pipe: string;
  readonly reg: string;
}

/** splice() one pipe buffer into `file` page `index`. */
export interface SpliceOp {
  readonly op: 'splice';
  readonly pipe: string;
  readonly file: string;
  readonly index: number;
}

/** The program's pipe `name`, to change. */
function ownPipeByName(w: Draft, name: string): OwnPipe {
  const i = w.pipes.findIndex((p) => p.name === name);
  if (i < 0) bug('ownPipeByName', `no pipe ${name}`);
  return ownPipe(w, i);
}

export const vmspliceOp: OpDef<VmspliceOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'vmsplice',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('vmsplice');
        const pipe = ownPipeByName(env.w, op.pipe);
        const r = vmspliceToPipe(env.ctx, env.w, pipe, at);
        return finished('vmsplice', r > 0 ? pipe.bufs.slice(-r).map((b) => b.folio) : [], r < 0 ? r : r);
      },
    },
  ],
};

export const pipeReadOp: OpDef<PipeReadOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'pipeRead',
      run(env, op) {
        const pipe = ownPipeByName(env.w, op.pipe);
        const folio = pipe.bufs[0]?.folio;
        const data = pipeRead(env.ctx, env.w, pipe);
        setReg(ownActor(env.w, env.actor), op.reg, data ?? retString(-EAGAIN));
        return finished('pipe_read', folio === undefined ? [] : [folio], data === null ? -EAGAIN : 1);
      },
    },
  ],
};

export const spliceOp: OpDef<SpliceOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'splice',
      run(env, op) {
        const pipe = ownPipeByName(env.w, op.pipe);
        const folio = pipe.bufs[0]?.folio;
        const file = fileByName(env.w, op.file);
        const r = folio === undefined ? -EFAULT : iterFileSpliceWrite(env.ctx, env.w, pipe, file, op.index);
        return finished('iter_file_splice_write', folio === undefined ? [] : [folio], r);
      },
    },
  ],
};
