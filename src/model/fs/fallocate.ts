import type { KernelResult } from '../include/errno.js';
import type { File, OwnFile } from '../include/fs.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { truncatePagecacheRange } from '../mm/truncate.js';
import { filemapWaitBlocks, writebackFolioNow } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import type { World } from '../core/world.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { reflinkBreak } from './reflink.js';

/** Whether punching page `index` must wait now (the write-and-wait, then truncate_inode_pages_range, wait for writeback). */
export function punchHoleBlocks(w: World, file: File, index: number): boolean {
  return filemapWaitBlocks(w, file, index);
}

/**
 * fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) of one page: xfs_free_file_space() (ext4:
 * ext4_punch_hole()) writes the range back and drops it from the page cache and from every mapping
 * (xfs_flush_unmap_range: filemap_write_and_wait_range + truncate_pagecache_range), then frees the
 * block: the page reads zeros from now on. A folio a GUP user still holds survives outside the page
 * cache, and whatever its DMA puts there later reaches neither the file nor any mapping.
 * MODEL: the write-and-wait is synchronous, within the step; inode_dio_wait() waits only for direct
 * I/O to this file, which the scenarios do not mix with a punch of it.
 * @kernel fs/xfs/xfs_bmap_util.c:xfs_flush_unmap_range
 */
export function punchHole(ctx: Ctx, w: Draft, file: OwnFile, index: number): KernelResult {
  ctx.calls.push('vfs_fallocate', 'truncate_pagecache_range');
  const id = file.cache[index];
  if (id !== undefined && id !== null) {
    const f = ownFolio(w, id);
    if (f.flags.dirty && !f.flags.writeback) writebackFolioNow(ctx, w, f);
  }
  truncatePagecacheRange(ctx, w, file, index, index + 1);
  reflinkBreak(w, file, index);
  if (index < file.disk.length) file.disk[index] = ZERO_DATA;
  return 0;
}
