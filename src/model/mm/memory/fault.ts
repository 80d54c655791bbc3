import { VM_FAULT_SIGSEGV, type OwnVma, type VmFault } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { folioTestAnon } from '../folio.js';
import { hugetlbNoPage, hugetlbWp } from '../hugetlb.js';
import { mkPte, ownVmaAt, type VmaRef } from '../pgtable.js';
import { shmemZeroSetup } from '../shmem.js';
import { doAnonymousPage } from './anonymous.js';
import { doFault } from './file-fault.js';
import { doSwapPage } from './swap-in.js';
import { doWpPage, wpPageCopy } from './wp.js';
import { ownFolio, type Draft } from '../../core/cow.js';

/** FAULT_FLAG_WRITE, FAULT_FLAG_UNSHARE (mutually exclusive), or a plain read fault. */
export type FaultKind = 'read' | 'write' | 'unshare';

/**
 * handle_mm_fault(): resolve one fault on the VMA's entry. Returns 0, VM_FAULT_SIGSEGV (no
 * permission) or VM_FAULT_SIGBUS (a file page past i_size: doFault, hugetlbNoPage). `force` is FOLL_FORCE: a write into a read-only private
 * mapping (ptrace, /proc/pid/mem) breaks COW without making the entry writable. The permission test
 * is the arch fault handler's (x86-64).
 * @kernel mm/memory.c:handle_mm_fault
 * @kernel arch/x86/mm/fault.c:access_error
 */
export function handleMmFault(ctx: Ctx, w: Draft, at: VmaRef, kind: FaultKind, force = false): VmFault {
  const vma = ownVmaAt(w, at);
  // The MMU traps a store only on an absent or read-only entry: a writable entry in a read-only VMA
  // (hugetlb_cow(), named hugetlb_wp() in v5.19, up to v5.19: policy hugetlb.forceWrite) takes the store
  // without a fault.
  if (kind === 'write' && !vma.write && !force && !(vma.pte.kind === 'present' && vma.pte.writable))
    return VM_FAULT_SIGSEGV;
  // x86's access_error() lets a load fault in any accessible VMA (vma_is_accessible(): read, write or
  // exec), and x86 has no write-only PTE: PROT_WRITE memory is readable. GUP refuses a read of it
  // earlier (check_vma_flags() wants VM_READ).
  if (kind === 'read' && !vma.read && !vma.write && !force) return VM_FAULT_SIGSEGV;
  shmemZeroSetup(w, vma);
  if (vma.hugetlb) return hugetlbFault(ctx, w, vma, kind);
  return handlePteFault(ctx, w, at, kind);
}

/**
 * hugetlb_fault(): no entry -> hugetlb_no_page(); a write or unshare fault on a read-only entry ->
 * hugetlb_wp(); a write on a writable entry only dirties it (huge_pte_mkdirty(): 5.10 mm/hugetlb.c:4668,
 * 6.1 :6210, 6.12 :6514, 7.2 :6141), as the MMU does on a store that takes no fault, like
 * handle_pte_fault().
 * @kernel mm/hugetlb.c:hugetlb_fault
 */
function hugetlbFault(ctx: Ctx, w: Draft, vma: OwnVma, kind: FaultKind): VmFault {
  const pte = vma.pte;
  if (pte.kind !== 'present') {
    ctx.calls.push('hugetlb_no_page');
    return hugetlbNoPage(ctx, w, vma, kind);
  } else if (kind !== 'read' && !pte.writable) {
    ctx.calls.push('hugetlb_wp');
    hugetlbWp(ctx, w, vma, kind);
  } else if (kind === 'write' && !pte.dirty) {
    vma.pte = mkPte(pte.folio, { writable: true, dirty: true, huge: pte.huge });
  }
  return 0;
}

/**
 * handle_pte_fault(): first touch (do_anonymous_page / do_fault), swap-in (do_swap_page, which goes
 * on to do_wp_page when a write fault could not map the page writable), or a write/unshare fault on a
 * present read-only entry (do_wp_page).
 * @kernel mm/memory.c:handle_pte_fault
 */
function handlePteFault(ctx: Ctx, w: Draft, at: VmaRef, kind: FaultKind): VmFault {
  const vma = ownVmaAt(w, at);
  const pte = vma.pte;
  if (pte.kind === 'none') {
    const anon = vma.backing.type === 'anon';
    ctx.calls.push(anon ? 'do_anonymous_page' : 'do_fault');
    if (!anon) return doFault(ctx, w, vma, kind === 'write');
    doAnonymousPage(ctx, w, vma, kind === 'write');
    return 0;
  }
  if (pte.kind === 'swap') {
    ctx.calls.push('do_swap_page');
    doSwapPage(ctx, w, vma, kind === 'write');
    // do_swap_page() clears FAULT_FLAG_WRITE only when it mapped the page writable itself.
    if (kind !== 'write' || (vma.pte.kind === 'present' && vma.pte.writable)) return 0;
  } else if (kind === 'read') {
    return 0;
  } else if (pte.kind === 'present' && pte.writable) {
    // A write on a writable entry only dirties it (pte_mkdirty(): 5.10 mm/memory.c:4517, 7.2 :6398),
    // as the MMU does on a store that takes no fault: reclaim and writeback find the folio dirty
    // through this bit. An unshare fault on a writable entry has nothing to do.
    if (kind === 'write' && !pte.dirty)
      vma.pte = mkPte(pte.folio, { writable: true, dirty: true, huge: pte.huge });
    return 0;
  }
  ctx.calls.push('do_wp_page');
  if (kind === 'unshare') return doUnshare(ctx, w, at);
  doWpPage(ctx, w, vma, 'write');
  return 0;
}

/**
 * The FAULT_FLAG_UNSHARE half of do_wp_page(): make the mapped page exclusive without making it
 * writable. Anonymous pages are reused or copied; a page cache or zero page in a COW mapping
 * (which gup_must_unshare() asks for since v6.2) is replaced by an anonymous copy.
 * @kernel mm/memory.c:do_wp_page
 */
function doUnshare(ctx: Ctx, w: Draft, at: VmaRef): VmFault {
  const vma = ownVmaAt(w, at);
  const pte = vma.pte;
  if (pte.kind !== 'present') return 0;
  const f = ownFolio(w, pte.folio);
  if (folioTestAnon(f) || vma.shared) doWpPage(ctx, w, vma, 'unshare');
  else wpPageCopy(ctx, w, vma, 'unshare');
  return 0;
}
