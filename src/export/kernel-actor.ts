import { FOLL_LONGTERM, FOLL_WRITE } from '../model/include/foll.js';
import type { GupOp } from '../model/ops/gup.js';
import type { Op } from '../model/ops/index.js';

export const KERNEL_ONLY = 'only a kernel caller has this: a process cannot make the kernel do it';

/** Iterators the pinlab_grab module builds over kernel memory (ITER_KVEC, ITER_BVEC). */
export const MODULE_ITERS: readonly string[] = ['kvec', 'bvec'];

/** Whether a process holds this grab itself: vmsplice (read-only FOLL_GET) or io_uring (FOLL_WRITE pin). */
function processGrab(op: GupOp): boolean {
  return op.mode === 'get' ? op.flags === 0 : (op.flags & ~FOLL_LONGTERM) === FOLL_WRITE;
}

/**
 * Why the op needs the kernel-side actor (the pinlab_grab module, lab/kmod), or null when a process can
 * run it alone. A process cannot make the kernel allocate memory for it, hold a grab with flags no
 * system call uses, or run O_DIRECT through a kernel iterator.
 */
export function kernelActorNeed(op: Op): string | null {
  if (op.op === 'kalloc') return `vmalloc() and alloc_page(): ${KERNEL_ONLY}`;
  if (op.op === 'dio' && MODULE_ITERS.includes(op.iter))
    return `ITER_${op.iter.toUpperCase()}: ${KERNEL_ONLY}`;
  if (op.op !== 'gup' || processGrab(op)) return null;
  return op.mode === 'get'
    ? 'no system call holds a FOLL_GET reference with these flags for the process to drop later (vmsplice holds a read-only one)'
    : 'no system call holds a FOLL_PIN with these flags for the process to drop later (io_uring registers buffers with FOLL_WRITE | FOLL_LONGTERM)';
}
