import { EFAULT } from '../include/errno.js';
import { VM_FAULT_SIGBUS, type VmFault } from '../include/mm_types.js';
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

/**
 * A CPU access whose fault failed: SIGBUS where the fault handler found the page past i_size (the
 * step names that handler, the last function the fault ran: filemap_fault, shmem_fault,
 * hugetlb_no_page), SIGSEGV otherwise. Either way the access does not happen.
 */
export function cpuFault(
  env: OpEnv,
  r: Exclude<VmFault, 0>,
): { signal: 'SIGBUS' | 'SIGSEGV'; outcome: StepOutcome } {
  if (r !== VM_FAULT_SIGBUS) return { signal: 'SIGSEGV', outcome: segv('handle_mm_fault') };
  const fn = env.ctx.calls[env.ctx.calls.length - 1] ?? 'handle_mm_fault';
  return { signal: 'SIGBUS', outcome: finished(fn, [], -EFAULT) };
}

/** The folio an entry maps now, as a list for the trace. */
export function mappedFolios(env: OpEnv, at: VmaRef): number[] {
  const pte = mmOf(env.w, at.mm).vmas[at.vma]?.pte;
  return pte?.kind === 'present' ? [pte.folio] : [];
}
