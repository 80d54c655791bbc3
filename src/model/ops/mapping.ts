import { madviseVmaBehavior, type Advice } from '../mm/madvise.js';
import { doMunmap } from '../mm/mmap.js';
import { mprotectFixup } from '../mm/mprotect.js';
import { mappedFolios, resolveBuf, segv } from './buf.js';
import { finished, type OpDef } from './types.js';

export interface MunmapOp {
  readonly op: 'munmap';
  readonly buf: string;
}

export interface MprotectOp {
  readonly op: 'mprotect';
  readonly buf: string;
  readonly read: boolean;
  readonly write: boolean;
}

export interface MadviseOp {
  readonly op: 'madvise';
  readonly buf: string;
  readonly advice: Advice;
}

export const munmapOp: OpDef<MunmapOp> = {
  unavailable: () => null,
  enabled: () => true,
  step(env, op) {
    const at = resolveBuf(env, op.buf);
    if (at === null) return segv('do_vmi_munmap');
    const touched = mappedFolios(env, at);
    doMunmap(env.ctx, env.w, at);
    return finished('do_vmi_munmap', touched, 0);
  },
};

export const mprotectOp: OpDef<MprotectOp> = {
  unavailable: () => null,
  enabled: () => true,
  step(env, op) {
    const at = resolveBuf(env, op.buf);
    if (at === null) return segv('mprotect_fixup');
    const r = mprotectFixup(env.ctx, env.w, at, op.read, op.write);
    return finished('change_protection', mappedFolios(env, at), r);
  },
};

export const madviseOp: OpDef<MadviseOp> = {
  unavailable: () => null,
  enabled: () => true,
  step(env, op) {
    const at = resolveBuf(env, op.buf);
    if (at === null) return segv('madvise_vma_behavior');
    const touched = mappedFolios(env, at);
    madviseVmaBehavior(env.ctx, env.w, at, op.advice);
    return finished(op.advice === 'pageout' ? 'shrink_folio_list' : 'madvise_vma_behavior', touched, 0);
  },
};
