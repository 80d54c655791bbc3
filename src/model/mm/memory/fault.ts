import { EFAULT, type KernelResult } from '../../include/errno.js';
import type { Ctx } from '../../sim/ctx.js';
import { folioOf, type World } from '../../sim/world.js';
import { folioTestAnon } from '../folio.js';
import { hugetlbNoPage, hugetlbWp } from '../hugetlb.js';
import { vmaAt, type VmaRef } from '../pgtable.js';
import { doAnonymousPage } from './anonymous.js';
import { doFault } from './file-fault.js';
import { doSwapPage } from './swap-in.js';
import { doWpPage, wpPageCopy } from './wp.js';

/** FAULT_FLAG_WRITE, FAULT_FLAG_UNSHARE (mutually exclusive), or a plain read fault. */
export type FaultKind = 'read' | 'write' | 'unshare';

/**
 * handle_mm_fault(): resolve one fault on the VMA's entry. Returns 0, or -EFAULT where the kernel
 * returns VM_FAULT_SIGSEGV (no permission). `force` is FOLL_FORCE: a write into a read-only private
 * mapping (ptrace, /proc/pid/mem) breaks COW without making the entry writable.
 * @kernel mm/memory.c:handle_mm_fault
 */
export function handleMmFault(ctx: Ctx, w: World, at: VmaRef, kind: FaultKind, force = false): KernelResult {
  const vma = vmaAt(w, at);
  if (kind === 'write' && !vma.write && !force) return -EFAULT;
  if (kind === 'read' && !vma.read && !force) return -EFAULT;
  const pte = vma.pte;
  if (vma.hugetlb) {
    if (pte.kind === 'none') {
      ctx.calls.push('hugetlb_no_page');
      hugetlbNoPage(ctx, w, vma, kind);
    } else if (kind !== 'read') {
      ctx.calls.push('hugetlb_wp');
      hugetlbWp(ctx, w, vma, kind);
    }
    return 0;
  }
  if (pte.kind === 'none') {
    const anon = vma.backing.type === 'anon';
    ctx.calls.push(anon ? 'do_anonymous_page' : 'do_fault');
    if (anon) doAnonymousPage(ctx, w, vma, kind === 'write');
    else doFault(ctx, w, vma, kind === 'write');
    return 0;
  }
  if (pte.kind === 'swap') {
    ctx.calls.push('do_swap_page');
    doSwapPage(ctx, w, vma, kind === 'write');
    return 0;
  }
  if (kind === 'read' || (kind === 'write' && pte.writable)) return 0;
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
function doUnshare(ctx: Ctx, w: World, at: VmaRef): KernelResult {
  const vma = vmaAt(w, at);
  const pte = vma.pte;
  if (pte.kind !== 'present') return 0;
  const f = folioOf(w, pte.folio);
  if (folioTestAnon(f)) doWpPage(ctx, w, vma, 'unshare');
  else wpPageCopy(ctx, w, vma, 'unshare');
  return 0;
}
