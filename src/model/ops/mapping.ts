import { madviseVmaBehavior, type Advice } from '../mm/madvise.js';
import { doMunmap } from '../mm/mmap.js';
import { splitHugePmd } from '../mm/huge_memory.js';
import { mprotectFixup } from '../mm/mprotect.js';
import { ownVmaAt } from '../mm/pgtable.js';
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
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'munmap',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('do_vmi_munmap');
        const touched = mappedFolios(env, at);
        doMunmap(env.ctx, env.w, at);
        return finished('do_vmi_munmap', touched, 0);
      },
    },
  ],
};

export const mprotectOp: OpDef<MprotectOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'mprotect',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('mprotect_fixup');
        const r = mprotectFixup(env.ctx, env.w, at, op.read, op.write);
        return finished('change_protection', mappedFolios(env, at), r);
      },
    },
  ],
};

const MADVISE_FN: Partial<Record<Advice, string>> = {
  pageout: 'shrink_folio_list',
  collapse: 'madvise_collapse',
};

export const madviseOp: OpDef<MadviseOp> = {
  footprint: 'actor',
  unavailable: (p, op) => {
    if (op.advice === 'collapse' && p['madvise.collapse'] === 'absent')
      return 'MADV_COLLAPSE does not exist in this release (v6.1)';
    if (op.advice === 'pageout' && p['madvise.pageout'] === 'absent')
      return 'MADV_PAGEOUT does not exist in this release (v5.4)';
    return null;
  },
  steps: [
    {
      name: 'madvise',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('madvise_vma_behavior');
        const before = mappedFolios(env, at);
        const r = madviseVmaBehavior(env.ctx, env.w, at, op.advice);
        const touched = [...new Set([...before, ...mappedFolios(env, at)])];
        return finished(MADVISE_FN[op.advice] ?? 'madvise_vma_behavior', touched, r);
      },
    },
  ],
};

/** `split-pmd BUF`: a PMD-mapped THP becomes PTE-mapped (cow.c: mprotect() of one subpage and back). */
export interface SplitPmdOp {
  readonly op: 'split-pmd';
  readonly buf: string;
}

export const splitPmdOp: OpDef<SplitPmdOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'splitPmd',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('__split_huge_pmd');
        splitHugePmd(env.w, ownVmaAt(env.w, at));
        return finished('__split_huge_pmd', mappedFolios(env, at), 0);
      },
    },
  ],
};
