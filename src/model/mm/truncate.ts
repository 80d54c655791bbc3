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
 * truncate_pagecache_range(): unmap every mapping of pages [start, end) (unmap_mapping_range), then
 * truncate_inode_pages_range(): invalidate each folio (buffers released, dirty cancelled) and remove
 * it from the page cache, dropping the cache's reference. A folio somebody still holds (a GUP
 * reference or pin) survives outside the page cache. Returns the folios removed. (The caller names
 * itself in the trace: truncate_pagecache, punch hole, remap.)
 * @kernel mm/truncate.c:truncate_pagecache_range
 */
export function truncatePagecacheRange(
  ctx: Ctx,
  w: Draft,
  file: OwnFile,
  start: number,
  end: number,
): number[] {
  const touched: number[] = [];
  for (const { id, alive } of w.mms) {
    if (!alive) continue;
    const mm = ownMm(w, id);
    for (const vma of mm.vmas) {
      const pte = vma.pte;
      const pgoff = vma.backing.type === 'file' ? vma.backing.pgoff : -1;
      if (vma.backing.type !== 'file' || vma.backing.file !== file.id || pgoff < start || pgoff >= end)
        continue;
      if (pte.kind === 'present' && ownFolio(w, pte.folio).owner.type === 'file') zapPte(ctx, w, vma);
    }
  }
  for (let i = start; i < Math.min(end, file.cache.length); i++) {
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
  return touched;
}

/**
 * truncate_setsize() -> truncate_pagecache(): the pages from `pages` on leave the page cache and
 * every mapping (truncate_pagecache_range), and their blocks are freed.
 * @kernel mm/truncate.c:truncate_pagecache
 */
export function truncatePagecache(ctx: Ctx, w: Draft, file: OwnFile, pages: number): number[] {
  ctx.calls.push('truncate_pagecache');
  const touched = truncatePagecacheRange(ctx, w, file, pages, Infinity);
  file.disk.length = Math.min(file.disk.length, pages);
  return touched;
}
