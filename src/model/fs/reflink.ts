import type { File } from '../include/fs.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { ownFile, type Draft } from '../core/cow.js';

/**
 * Block sharing between files (reflink): FIDEDUPERANGE and FICLONERANGE make a page of one file share
 * the other's disk block. A write the filesystem prepares (a buffered write, ->page_mkwrite, a direct
 * write) gets a copy-on-write block first; a page dirtied behind its back does not, and its
 * writeback overwrites the shared block in place: the other file changes too (seed 000).
 * MODEL: XFS semantics (xfs_map_blocks() writes a folio without a COW-fork extent into the data
 * fork's block, shared or not); btrfs COWs every data write at writeback and so never writes a shared
 * block in place; ext4 has no ->remap_file_range.
 */

/**
 * The filesystem prepares a write of a shared page: it allocates a copy-on-write block (the COW
 * fork), so the page's writeback goes there and the other file keeps the old block.
 * @kernel fs/xfs/xfs_reflink.c:xfs_reflink_allocate_cow
 */
export function reflinkBreak(w: Draft, file: File, index: number): void {
  if (!file.reflinks.some((r) => r.index === index)) return;
  const own = ownFile(w, file.id);
  for (const r of own.reflinks) {
    if (r.index !== index) continue;
    const other = ownFile(w, r.other);
    other.reflinks = other.reflinks.filter((o) => !(o.other === file.id && o.otherIndex === index));
  }
  own.reflinks = own.reflinks.filter((r) => r.index !== index);
}

/**
 * Writeback of page `index` without a copy-on-write block: on XFS the data fork's block, still shared,
 * is written in place and every file sharing it reads the new data; btrfs allocates a new extent.
 * @kernel fs/xfs/xfs_aops.c:xfs_map_blocks
 */
export function reflinkWriteInPlace(w: Draft, file: File, index: number, data: string): void {
  if (file.fs !== 'xfs') {
    reflinkBreak(w, file, index);
    return;
  }
  for (const r of file.reflinks) {
    if (r.index !== index) continue;
    const other = ownFile(w, r.other);
    while (other.disk.length <= r.otherIndex) other.disk.push(ZERO_DATA);
    other.disk[r.otherIndex] = data;
  }
}
