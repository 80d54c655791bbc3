import { EBADE, EINVAL, EOPNOTSUPP, EXDEV, type KernelResult } from '../include/errno.js';
import { fileSizeExtend, type File, type OwnFile } from '../include/fs.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { truncatePagecacheRange } from '../mm/truncate.js';
import { filemapWaitBlocks, writebackFolioNow } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import { folioOf, type World } from '../core/world.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { dioCompleted } from './dio.js';
import { reflinkBreak } from './reflink.js';

/**
 * The filesystem's file_operations have ->remap_file_range: xfs, btrfs and NFS (nfs42_remap_file_range,
 * which refuses a dedupe with -EOPNOTSUPP) in the 5.10, 6.1, 6.12 and 7.2 trees; not ext4, tmpfs,
 * hugetlbfs, ceph or a block device node.
 */
function hasRemap(file: File): boolean {
  return file.fs === 'xfs' || file.fs === 'btrfs' || file.fs === 'nfs';
}

/**
 * Two files are on the same superblock. MODEL: one filesystem of each kind, so the kind decides; a
 * block device's file is its device node, and every node is on the one devtmpfs.
 */
function sameSb(a: File, b: File): boolean {
  return a.fs === b.fs;
}

/**
 * The checks before any data is touched, in the kernel's order (the same in the four trees, 5.10's
 * mount test included, since two filesystems are two mounts):
 * FICLONERANGE: vfs_clone_file_range (do_clone_file_range up to 6.1): different superblocks -EXDEV;
 * generic_file_rw_checks: not regular files (a block device) -EINVAL; no ->remap_file_range
 * -EOPNOTSUPP; then the filesystem's prep (generic_remap_checks): source page past EOF, or the same
 * page of the same file, -EINVAL.
 * FIDEDUPERANGE: vfs_dedupe_file_range on the source: not regular -EINVAL, no ->remap_file_range
 * -EOPNOTSUPP, past EOF -EINVAL; vfs_dedupe_file_range_one per destination: different superblocks
 * -EXDEV, no ->remap_file_range -EINVAL; NFS -EOPNOTSUPP ("NFS does not support deduplication");
 * generic_remap_checks: either page past EOF, or the same page of one file, -EINVAL.
 * MODEL: the register gets the destination's status (info->status); FILE_DEDUPE_RANGE_DIFFERS is
 * written EBADE, the -EBADE it comes from.
 * @kernel fs/remap_range.c:vfs_clone_file_range
 */
function remapCheck(src: File, index: number, dst: File, dstIndex: number, dedupe: boolean): KernelResult {
  const overlap = src.id === dst.id && index === dstIndex;
  if (!dedupe) {
    if (!sameSb(src, dst)) return -EXDEV;
    if (src.fs === 'bdev' || dst.fs === 'bdev') return -EINVAL;
    if (!hasRemap(src)) return -EOPNOTSUPP;
    if (index >= src.size || overlap) return -EINVAL;
    return 0;
  }
  if (src.fs === 'bdev') return -EINVAL;
  if (!hasRemap(src)) return -EOPNOTSUPP;
  if (index >= src.size) return -EINVAL;
  if (!sameSb(src, dst)) return -EXDEV;
  if (!hasRemap(dst)) return -EINVAL;
  if (dst.fs === 'nfs') return -EOPNOTSUPP;
  if (dstIndex >= dst.size || overlap) return -EINVAL;
  return 0;
}

/**
 * What remap_file_range_prep() waits for before it starts: inode_dio_wait() on both files (a direct
 * I/O to either still in flight) and the write-and-wait of both pages (a writeback in flight).
 * @kernel fs/remap_range.c:generic_remap_file_range_prep
 */
export function remapBlocks(w: World, src: File, index: number, dst: File, dstIndex: number): boolean {
  if (filemapWaitBlocks(w, src, index) || filemapWaitBlocks(w, dst, dstIndex)) return true;
  return inodeDioBlocks(w, src) || inodeDioBlocks(w, dst);
}

/**
 * Whether inode_dio_wait() on `file` must wait now: a direct I/O to it is still in flight (its dio has
 * neither woken its waiter nor completed its iocb), or its write still owes the invalidation a
 * writeback holds up: inode_dio_end() comes after kiocb_invalidate_post_direct_write() in
 * iomap_dio_complete() and dio_complete() (the 5.10 tree's fs/iomap/direct-io.c:120, 6.1 :113,
 * 6.12 :123, 7.2 :142).
 * @kernel fs/remap_range.c:generic_remap_file_range_prep
 */
export function inodeDioBlocks(w: World, file: File): boolean {
  return w.dios.some((d, id) => {
    if (dioCompleted(w, id)) return false;
    const bio = d.bios[0] === undefined ? undefined : w.bios[d.bios[0]];
    return bio !== undefined && bio.file === file.id;
  });
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
 * MODEL: the write-and-wait is synchronous, within the one step (a writeback or direct I/O in flight
 * was waited for before it: remapBlocks). NFS's clone is the server's (CLONE): scenario validation
 * refuses a `reflink` of an NFS file.
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
  const err = remapCheck(src, index, dst, dstIndex, dedupe);
  if (err < 0) return err;
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
  // A clone that ends past the destination's i_size moves it (xfs_reflink_update_dest: the 5.10
  // tree's fs/xfs/xfs_reflink.c:940, 6.1 :1083, 6.12 :1110, 7.2 :1290; btrfs
  // clone_finish_inode_update: 5.10 fs/btrfs/reflink.c:33, 6.1 :37, 6.12 :41, 7.2 :42). A dedupe
  // never gets here past it (remapCheck).
  fileSizeExtend(dst, dstIndex);
  reflinkBreak(w, src, index);
  reflinkBreak(w, dst, dstIndex);
  src.reflinks.push({ index, other: dst.id, otherIndex: dstIndex });
  dst.reflinks.push({ index: dstIndex, other: src.id, otherIndex: index });
  return 1;
}
