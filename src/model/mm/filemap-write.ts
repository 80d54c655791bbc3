import type { File } from '../include/fs.js';
import { fileIsMemoryBacked, fileSizeExtend } from '../include/fs.js';
import { setFolioFlag, type Folio } from '../include/mm_types.js';
import { filemapGetFolio } from './filemap.js';
import { folioMarkDirty, touchFreed } from './folio.js';
import type { Ctx } from '../core/ctx.js';
import { folioWaitStableBlocks } from './page-writeback.js';
import { ownFile, type Draft } from '../core/cow.js';
import { reflinkBreak } from '../fs/reflink.js';
import type { World } from '../core/world.js';

/**
 * filemap_read(): copy a page-cache page to the reader, reading it from disk into the cache first.
 * MODEL: one page; the copy is atomic.
 * @kernel mm/filemap.c:filemap_read
 */
export function filemapRead(ctx: Ctx, w: Draft, file: File, index: number): Folio {
  ctx.calls.push('filemap_read');
  const f = filemapGetFolio(w, file, index, 0);
  touchFreed(ctx, f, 'cpu-read');
  return f;
}

/** Whether a buffered write of this page must wait now (write_begin's folio_wait_stable()). */
export function bufferedWriteBlocks(w: World, file: File, index: number): boolean {
  const id = file.cache[index];
  return id !== undefined && id !== null && folioWaitStableBlocks(w, id);
}

/**
 * generic_perform_write(): ->write_begin (get the folio, wait for stable writes, attach the
 * filesystem's buffers and allocate blocks), copy the data in, ->write_end (folio_mark_dirty).
 * @kernel mm/filemap.c:generic_perform_write
 */
export function genericPerformWrite(ctx: Ctx, w: Draft, file: File, index: number, data: string): Folio {
  ctx.calls.push('generic_perform_write');
  const f = filemapGetFolio(w, file, index, 0);
  if (touchFreed(ctx, f, 'cpu-write')) return f;
  if (!fileIsMemoryBacked(file)) {
    setFolioFlag(f, 'buffers', true);
    reflinkBreak(w, file, index); // ->write_begin: a copy-on-write block for a shared one
  }
  f.data = data;
  folioMarkDirty(f);
  // ->write_end: a write that ends past i_size moves it (i_size_write(): generic_write_end, the 5.10
  // tree's fs/buffer.c:2186, 6.1 :2168, 6.12 :2319, 7.2 :2299; iomap_write_end 5.10
  // fs/iomap/buffered-io.c:733, 6.1 :731, iomap_write_iter 6.12 :1018, 7.2 :1255; shmem_write_end
  // 5.10 mm/shmem.c:2542, 6.1 :2580, 6.12 :3136, 7.2 :3274; btrfs_dirty_pages 5.10 fs/btrfs/file.c:509,
  // 6.1 :174, 6.12 :175, 7.2 :102).
  fileSizeExtend(ownFile(w, file.id), index);
  return f;
}
