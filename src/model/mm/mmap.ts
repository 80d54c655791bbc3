import type { Ctx } from '../sim/ctx.js';
import { mmOf, type World } from '../sim/world.js';
import { zapPte } from './memory/zap.js';
import { vmaAt, type VmaRef } from './pgtable.js';

/**
 * do_vmi_munmap(): unmap the VMA (zap its entry, then remove it).
 * @kernel mm/mmap.c:do_vmi_munmap
 */
export function doMunmap(ctx: Ctx, w: World, at: VmaRef): void {
  zapPte(ctx, w, vmaAt(w, at));
  mmOf(w, at.mm).vmas.splice(at.vma, 1);
}

/**
 * exit_mmap(): the process exits; every mapping is zapped. GUP grabs it still holds are not dropped
 * here (their owner must drop them).
 * @kernel mm/mmap.c:exit_mmap
 */
export function exitMmap(ctx: Ctx, w: World, mmId: number): void {
  const mm = mmOf(w, mmId);
  for (const vma of mm.vmas) zapPte(ctx, w, vma);
  mm.vmas = [];
  mm.alive = false;
}
