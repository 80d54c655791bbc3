import type { Ctx } from '../core/ctx.js';
import { zapPte } from './memory/zap.js';
import { ownVmaAt, type VmaRef } from './pgtable.js';
import { ownMm, type Draft } from '../core/cow.js';

/**
 * do_vmi_munmap(): unmap the VMA (zap its entry, then remove it).
 * @kernel mm/vma.c:do_vmi_munmap
 */
export function doMunmap(ctx: Ctx, w: Draft, at: VmaRef): void {
  zapPte(ctx, w, ownVmaAt(w, at));
  ownMm(w, at.mm).vmas.splice(at.vma, 1);
}

/**
 * exit_mmap(): the process exits; every mapping is zapped. GUP grabs it still holds are not dropped
 * here (their owner must drop them).
 * @kernel mm/mmap.c:exit_mmap
 */
export function exitMmap(ctx: Ctx, w: Draft, mmId: number): void {
  const mm = ownMm(w, mmId);
  for (const vma of mm.vmas) zapPte(ctx, w, vma);
  mm.vmas = [];
  mm.alive = false;
}
