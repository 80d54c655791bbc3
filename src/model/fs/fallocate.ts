import { EOPNOTSUPP, type KernelResult } from '../include/errno.js';
import type { File, OwnFile } from '../include/fs.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { truncatePagecacheRange } from '../mm/truncate.js';
import { filemapWaitBlocks, writebackFolioNow } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import type { World } from '../core/world.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { reflinkBreak } from './reflink.js';
import { inodeDioBlocks } from './remap_range.js';

/**
 * Whether the file's ->fallocate refuses FALLOC_FL_PUNCH_HOLE: fat_fallocate() takes no mode but
 * FALLOC_FL_KEEP_SIZE (-EOPNOTSUPP: fs/fat/file.c:271 in the 5.10 tree, :272 in 6.1 and 6.12, :276 in 7.2).
 * @kernel fs/open.c:vfs_fallocate
 */
function punchHoleUnsupported(file: File): boolean {
  return file.fs === 'vfat';
}

/**
 * Whether punching page `index` must wait now: XFS and ext4 first wait for direct I/O to the file in
 * flight (inode_dio_wait(): xfs_file_fallocate, fs/xfs/xfs_file.c:874 in the 5.10 tree; ext4_punch_hole,
 * fs/ext4/inode.c:4132 in 5.10, ext4_fallocate from 6.12, fs/ext4/extents.c:4805), then the
 * write-and-wait and truncate_inode_pages_range wait for writeback.
 * @kernel fs/xfs/xfs_bmap_util.c:xfs_flush_unmap_range
 */
export function punchHoleBlocks(w: World, file: File, index: number): boolean {
  if (punchHoleUnsupported(file)) return false;
  if ((file.fs === 'xfs' || file.fs === 'ext4') && inodeDioBlocks(w, file)) return true;
  return filemapWaitBlocks(w, file, index);
}

/**
 * fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) of one page: xfs_free_file_space() (ext4:
 * ext4_punch_hole()) writes the range back and drops it from the page cache and from every mapping
 * (xfs_flush_unmap_range: filemap_write_and_wait_range + truncate_pagecache_range), then frees the
 * block: the page reads zeros from now on. FALLOC_FL_KEEP_SIZE: i_size stays (file.size untouched;
 * vfs_fallocate() refuses PUNCH_HOLE without it: the 5.10 tree's fs/open.c:247, 6.1 :261, 6.12 :270,
 * 7.2 :274). A folio a GUP user still holds survives outside the page
 * cache, and whatever its DMA puts there later reaches neither the file nor any mapping.
 * MODEL: the write-and-wait is synchronous, within the step; a direct I/O to the file in flight was
 * waited for before it (punchHoleBlocks).
 * @kernel fs/xfs/xfs_bmap_util.c:xfs_flush_unmap_range
 */
export function punchHole(ctx: Ctx, w: Draft, file: OwnFile, index: number): KernelResult {
  ctx.calls.push('vfs_fallocate');
  if (punchHoleUnsupported(file)) return -EOPNOTSUPP;
  ctx.calls.push('truncate_pagecache_range');
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
