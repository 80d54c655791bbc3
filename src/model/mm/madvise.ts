import { EINVAL, type KernelResult } from '../include/errno.js';
import type { Ctx } from '../core/ctx.js';
import { zapPte } from './memory/zap.js';
import { ownVmaAt, type VmaRef } from './pgtable.js';
import { madviseCollapse } from './khugepaged.js';
import { pageoutVma } from './vmscan.js';
import { pageoutFileVma } from './vmscan-file.js';
import type { Draft } from '../core/cow.js';

export type Advice =
  'dontneed' | 'dontfork' | 'dofork' | 'wipeonfork' | 'keeponfork' | 'pageout' | 'collapse';

/**
 * madvise_vma_behavior(): MADV_DONTNEED zaps the entry (the next touch faults in fresh memory; on
 * hugetlb only from v5.18, policy madvise.dontneedHugetlb: -EINVAL before);
 * MADV_DONTFORK/DOFORK and MADV_WIPEONFORK/KEEPONFORK set VMA flags fork reads (MADV_WIPEONFORK only
 * on private anonymous memory: -EINVAL otherwise); MADV_PAGEOUT reclaims (not hugetlb: -EINVAL), anonymous memory and page-cache folios mapped only here;
 * MADV_COLLAPSE (v6.1) collapses PTE-mapped anonymous memory into a THP.
 * @kernel mm/madvise.c:madvise_vma_behavior
 */
export function madviseVmaBehavior(ctx: Ctx, w: Draft, at: VmaRef, advice: Advice): KernelResult {
  const vma = ownVmaAt(w, at);
  switch (advice) {
    case 'dontneed':
      // can_madv_lru_vma() before v5.18; madvise_dontneed_free_valid_vma() since.
      if (vma.hugetlb && ctx.policies['madvise.dontneedHugetlb'] === 'einval') return -EINVAL;
      zapPte(ctx, w, vma);
      return 0;
    case 'dontfork':
      vma.dontfork = true;
      return 0;
    case 'dofork':
      vma.dontfork = false;
      return 0;
    case 'wipeonfork':
      // MAP_HUGETLB memory is a hugetlbfs file (vma->vm_file) even when private.
      if (vma.shared || vma.hugetlb || vma.backing.type !== 'anon') return -EINVAL;
      vma.wipeonfork = true;
      return 0;
    case 'keeponfork':
      vma.wipeonfork = false;
      return 0;
    case 'pageout':
      if (vma.hugetlb) return -EINVAL; // can_madv_lru_vma()
      if (pageoutFileVma(ctx, w, vma) === null) pageoutVma(ctx, w, vma);
      return 0;
    case 'collapse':
      return madviseCollapse(ctx, w, vma);
  }
}
