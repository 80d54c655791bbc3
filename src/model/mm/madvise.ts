import type { Ctx } from '../sim/ctx.js';
import type { World } from '../sim/world.js';
import { zapPte } from './memory/zap.js';
import { vmaAt, type VmaRef } from './pgtable.js';
import { pageoutVma } from './vmscan.js';

export type Advice = 'dontneed' | 'dontfork' | 'dofork' | 'wipeonfork' | 'keeponfork' | 'pageout';

/**
 * madvise_vma_behavior(): MADV_DONTNEED zaps the entry (the next touch faults in fresh memory);
 * MADV_DONTFORK/DOFORK and MADV_WIPEONFORK/KEEPONFORK set VMA flags fork reads; MADV_PAGEOUT reclaims.
 * @kernel mm/madvise.c:madvise_vma_behavior
 */
export function madviseVmaBehavior(ctx: Ctx, w: World, at: VmaRef, advice: Advice): void {
  const vma = vmaAt(w, at);
  switch (advice) {
    case 'dontneed':
      zapPte(ctx, w, vma);
      return;
    case 'dontfork':
      vma.dontfork = true;
      return;
    case 'dofork':
      vma.dontfork = false;
      return;
    case 'wipeonfork':
      vma.wipeonfork = true;
      return;
    case 'keeponfork':
      vma.wipeonfork = false;
      return;
    case 'pageout':
      pageoutVma(ctx, w, vma);
      return;
  }
}
