import type { File, OwnFile } from '../include/fs.js';
import { setFolioFlag } from '../include/mm_types.js';
import { folioPut } from './folio.js';
import { zapPte } from './memory/zap.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, ownMm, type Draft } from '../core/cow.js';
import { bug, folioOf, type World } from '../core/world.js';

/** Whether truncation to `pages` must wait now (truncate_inode_pages waits for writeback). */
export function truncateBlocks(w: World, file: File, pages: number): boolean {
  return file.cache.some((id, i) => i >= pages && id !== null && folioOf(w, id).flags.writeback);
}

/**
 * unmap_mapping_range() over pages [from, to) of a file: zap every present PTE of a page-cache folio,
 * and with `evenCows` (truncation) also the private anonymous copies a MAP_PRIVATE mapping of the file
 * made there, swapped out or not (should_zap_cows(): the 5.10 tree's mm/memory.c:1219, 6.1 :1349,
 * 6.12 :1428, 7.2 :1570).
 */
function unmapFilePages(ctx: Ctx, w: Draft, file: OwnFile, from: number, to: number, evenCows = false): void {
  for (const { id, alive } of w.mms) {
    if (!alive) continue;
    const mm = ownMm(w, id);
    for (const vma of mm.vmas) {
      const pte = vma.pte;
      if (vma.backing.type !== 'file' || vma.backing.file !== file.id) continue;
      if (vma.backing.pgoff < from || vma.backing.pgoff >= to) continue;
      if (
        pte.kind === 'swap'
          ? evenCows
          : pte.kind === 'present' && (evenCows || ownFolio(w, pte.folio).owner.type === 'file')
      )
        zapPte(ctx, w, vma);
    }
  }
}

/** Buffers released, dirty cancelled, out of the page cache, the cache's reference dropped. */
function removeCachedFolio(ctx: Ctx, w: Draft, file: OwnFile, index: number): number | null {
  const id = file.cache[index];
  if (id === null || id === undefined) return null;
  const f = ownFolio(w, id);
  setFolioFlag(f, 'buffers', false); // folio_invalidate() / filemap_release_folio()
  setFolioFlag(f, 'dirty', false); // folio_cancel_dirty()
  f.owner = { type: 'none' }; // filemap_remove_folio(): folio->mapping = NULL
  file.cache[index] = null;
  folioPut(ctx, w, f);
  return id;
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
  evenCows = false,
): number[] {
  unmapFilePages(ctx, w, file, start, end, evenCows);
  const touched: number[] = [];
  for (let i = start; i < Math.min(end, file.cache.length); i++) {
    const id = removeCachedFolio(ctx, w, file, i);
    if (id !== null) touched.push(id);
  }
  return touched;
}

/**
 * truncate_setsize(): i_size becomes `pages` first (i_size_write(): the 5.10 tree's mm/truncate.c:856,
 * 6.1 :798, 6.12 :774, 7.2 :820; hugetlbfs's hugetlb_vmtruncate() likewise, fs/hugetlbfs/inode.c:595,
 * 6.1 :697, 6.12 :711, 7.2 :615), so a later fault past it is VM_FAULT_SIGBUS (filemap_fault,
 * shmem_fault, hugetlb_no_page); then truncate_pagecache(): the pages from `pages` on leave the page
 * cache and every mapping (truncate_pagecache_range), private copies of them too
 * (unmap_mapping_range() with even_cows: 5.10 mm/truncate.c:833, 6.1 :775, 6.12 :751, 7.2 :797; a
 * hole punch keeps them), and their blocks are freed. Growing the file (ftruncate past i_size) only
 * moves i_size: the new pages are holes.
 * @kernel mm/truncate.c:truncate_setsize
 * @kernel mm/truncate.c:truncate_pagecache
 */
export function truncatePagecache(ctx: Ctx, w: Draft, file: OwnFile, pages: number): number[] {
  file.size = pages;
  ctx.calls.push('truncate_pagecache');
  const touched = truncatePagecacheRange(ctx, w, file, pages, Number.MAX_SAFE_INTEGER, true);
  file.disk.length = Math.min(file.disk.length, pages);
  return touched;
}

/**
 * invalidate_inode_pages2_range() for one page, as a direct write runs it before and after the I/O
 * (kiocb_invalidate_pages() and kiocb_invalidate_post_direct_write(); in the 5.10 tree
 * iomap_dio_rw(), iomap_dio_complete() and dio_complete() call it directly): the page is unmapped
 * everywhere first, dirty or not (unmap_mapping_folio() before folio_launder(): the 5.10 tree's
 * mm/truncate.c:756, 6.1 :700, 6.12 :673, 7.2 folio_unmap_invalidate() :631), then leaves the page
 * cache, so a later read or fault gets what the device holds. A dirty folio (dirty before, or made
 * dirty by the PTEs just zapped) stays in the cache, unmapped, with its buffers
 * (invalidate_complete_folio2() fails; no modelled filesystem has ->launder_folio; the kernel warns
 * "Page cache invalidation failure on direct I/O"). A GUP holder keeps the folio alive outside the
 * cache.
 * It first waits for writeback of the folio (folio_wait_writeback(), the 5.10 tree's mm/truncate.c:753,
 * 6.1 :697, 6.12 :670, 7.2 :725): its callers run it only once no writeback is in flight there
 * (dioFlushBlocks before the submission, dioCompleted after the write).
 * @kernel mm/truncate.c:invalidate_inode_pages2_range
 */
export function invalidateInodePages2(ctx: Ctx, w: Draft, file: OwnFile, index: number): number | null {
  const id = file.cache[index];
  if (id === null || id === undefined) return null;
  const f = ownFolio(w, id);
  if (f.flags.writeback) bug('invalidate_inode_pages2_range', `folio ${id} is under writeback: wait first`);
  ctx.calls.push('invalidate_inode_pages2_range');
  unmapFilePages(ctx, w, file, index, index + 1);
  if (f.flags.dirty) return null;
  return removeCachedFolio(ctx, w, file, index);
}
