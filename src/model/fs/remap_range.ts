import { EBADE, EOPNOTSUPP, type KernelResult } from '../include/errno.js';
import type { File, OwnFile } from '../include/fs.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { truncatePagecacheRange } from '../mm/truncate.js';
import { writebackFolioNow } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import { folioOf } from '../core/world.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { reflinkBreak } from './reflink.js';

/** The filesystem implements ->remap_file_range. */
function canRemap(file: File): boolean {
  return file.fs === 'xfs' || file.fs === 'btrfs';
}

/** The content of page `index` as the filesystem compares it: the cached folio's, else the disk's. */
function pageData(w: Draft, file: File, index: number): string {
  const id = file.cache[index];
  return id === null || id === undefined ? (file.disk[index] ?? ZERO_DATA) : folioOf(w, id).data;
}

/**
 * remap_file_range_prep(): wait for the writeback of both ranges (filemap_write_and_wait_range) and
 * for a dedupe compare them (vfs_dedupe_file_range_compare, -EBADE when they differ); then drop the
 * destination's page cache (truncate_inode_pages_range) and share the source's block
 * (xfs_reflink_remap_blocks).
 * MODEL: the write-and-wait is synchronous, within the one step.
 * @kernel fs/remap_range.c:vfs_dedupe_file_range_one
 */
export function vfsRemapFileRange(
  ctx: Ctx,
  w: Draft,
  src: OwnFile,
  index: number,
  dst: OwnFile,
  dstIndex: number,
  dedupe: boolean,
): KernelResult {
  ctx.calls.push(dedupe ? 'vfs_dedupe_file_range' : 'vfs_clone_file_range');
  if (!canRemap(src) || src.fs !== dst.fs) return -EOPNOTSUPP;
  for (const [file, i] of [
    [src, index],
    [dst, dstIndex],
  ] as const) {
    const id = file.cache[i];
    if (id === null || id === undefined) continue;
    const f = ownFolio(w, id);
    if (f.flags.dirty && !f.flags.writeback) writebackFolioNow(ctx, w, f);
  }
  if (dedupe && pageData(w, src, index) !== pageData(w, dst, dstIndex)) return -EBADE;
  ctx.calls.push('truncate_inode_pages_range');
  truncatePagecacheRange(ctx, w, dst, dstIndex, dstIndex + 1);
  while (dst.disk.length <= dstIndex) dst.disk.push(ZERO_DATA);
  dst.disk[dstIndex] = src.disk[index] ?? ZERO_DATA;
  reflinkBreak(w, src, index);
  reflinkBreak(w, dst, dstIndex);
  src.reflinks.push({ index, other: dst.id, otherIndex: dstIndex });
  dst.reflinks.push({ index: dstIndex, other: src.id, otherIndex: index });
  return 1;
}
