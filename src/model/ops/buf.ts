import { EFAULT } from '../include/errno.js';
import { findVma, type VmaRef } from '../mm/pgtable.js';
import { finished, type OpEnv, type StepOutcome } from './types.js';
import { mmOf } from '../core/world.js';

/** The VMA the actor's process maps under a buffer name, or null once it was unmapped. */
export function resolveBuf(env: OpEnv, name: string): VmaRef | null {
  const vma = findVma(mmOf(env.w, env.mm), name);
  return vma === null ? null : { mm: env.mm, vma };
}

/** A buffer the process no longer maps: the access faults (SIGSEGV for a CPU access, -EFAULT for a syscall). */
export function segv(fn: string): StepOutcome {
  return finished(fn, [], -EFAULT);
}

/** The folio an entry maps now, as a list for the trace. */
export function mappedFolios(env: OpEnv, at: VmaRef): number[] {
  const pte = mmOf(env.w, at.mm).vmas[at.vma]?.pte;
  return pte?.kind === 'present' ? [pte.folio] : [];
}
