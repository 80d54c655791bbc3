import { setFolioFlag, type OwnFolio } from '../../include/mm_types.js';
import { fileIsMemoryBacked } from '../../include/fs.js';
import { folioMarkDirty } from '../folio.js';
import { ownFile, type Draft } from '../../core/cow.js';
import { reflinkBreak } from '../../fs/reflink.js';

/**
 * do_page_mkwrite() then fault_dirty_shared_page(): the filesystem is told a shared mapping is about
 * to write the folio (it allocates blocks, a copy-on-write one for a shared block, and attaches its
 * buffers), then the folio is dirtied.
 * shmem and hugetlbfs have no ->page_mkwrite. MODEL: ->page_mkwrite never fails.
 * @kernel mm/memory.c:do_page_mkwrite
 */
export function doPageMkwrite(w: Draft, f: OwnFolio): void {
  if (f.owner.type === 'file' && !fileIsMemoryBacked(ownFile(w, f.owner.file))) {
    setFolioFlag(f, 'buffers', true);
    reflinkBreak(w, ownFile(w, f.owner.file), f.owner.index);
  }
  folioMarkDirty(f);
}
