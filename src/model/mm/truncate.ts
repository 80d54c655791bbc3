import type { File, OwnFile } from '../include/fs.js';
import { setFolioFlag } from '../include/mm_types.js';
import { folioPut } from './folio.js';
import { zapPte } from './memory/zap.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, ownMm, type Draft } from '../core/cow.js';
import { folioOf, type World } from '../core/world.js';

/** Whether truncation to `pages` must wait now (truncate_inode_pages waits for writeback). */
export function truncateBlocks(w: World, file: File, pages: number): boolean {
  return file.cache.some((id, i) => i >= pages && id !== null && folioOf(w, id).flags.writeback);
}

/**
 * truncate_setsize() -> truncate_pagecache(): unmap every mapping of the cut pages
 * (unmap_mapping_range), then truncate_inode_pages(): invalidate each folio (buffers released,
 * dirty cancelled) and remove it from the page cache, dropping the cache's reference. The blocks are
 * freed. A folio somebody still holds (a GUP reference or pin) survives outside the page cache.
 * @kernel mm/truncate.c:truncate_pagecache
 */
export function truncatePagecache(ctx: Ctx, w: Draft, file: OwnFile, pages: number): number[] {
  ctx.calls.push('truncate_pagecache');
  const touched: number[] = [];
  for (const { id, alive } of w.mms) {
    if (!alive) continue;
    const mm = ownMm(w, id);
    for (const vma of mm.vmas) {
      const pte = vma.pte;
      if (vma.backing.type !== 'file' || vma.backing.file !== file.id || vma.backing.pgoff < pages) continue;
      if (pte.kind === 'present' && ownFolio(w, pte.folio).owner.type === 'file') zapPte(ctx, w, vma);
    }
  }
  for (let i = pages; i < file.cache.length; i++) {
    const id = file.cache[i];
    if (id === null || id === undefined) continue;
    const f = ownFolio(w, id);
    touched.push(id);
    setFolioFlag(f, 'buffers', false); // folio_invalidate()
    setFolioFlag(f, 'dirty', false); // folio_cancel_dirty()
    f.owner = { type: 'none' }; // filemap_remove_folio(): folio->mapping = NULL
    file.cache[i] = null;
    folioPut(ctx, w, f);
  }
  file.disk.length = Math.min(file.disk.length, pages);
  return touched;
}
