import type { Own } from './own.js';

/**
 * A file and its page cache, as plain data. @kernel include/linux/fs.h (struct inode, address_space)
 */

/** The filesystems pinlab distinguishes: they differ in dirty tracking and stable-page needs. */
/**
 * vfat: a filesystem whose direct I/O still runs fs/direct-io.c in every release read (fat_direct_IO ->
 * blockdev_direct_IO, fs/fat/inode.c in the 5.10, 6.1, 6.12 and 7.2 trees), as ext2, udf, hfs(+), jfs,
 * nilfs2, affs and ocfs2 do.
 */
export type FsType = 'ext4' | 'xfs' | 'btrfs' | 'vfat' | 'shmem' | 'hugetlbfs' | 'bdev' | 'nfs' | 'ceph';

export interface File {
  readonly id: number;
  readonly name: string;
  readonly fs: FsType;
  /** Page cache: page index -> folio id, or null when not cached (address_space i_pages). */
  readonly cache: readonly (number | null)[];
  /** On-disk contents per page (for shmem/hugetlbfs: the backing store never written; nfs/ceph: the server's copy). */
  readonly disk: readonly string[];
  /**
   * i_size in pages, DIV_ROUND_UP(i_size, PAGE_SIZE) (in huge pages for hugetlbfs): what the fault
   * handlers compare a page offset with (filemap_fault, shmem_get_folio_gfp, hugetlb_no_page). It starts
   * as the declared pages; a write past it (generic_write_end / iomap_write_end / shmem_write_end, a
   * direct write's end_io), a clone to a page past it (xfs_reflink_update_dest) and ftruncate
   * (truncate_setsize) move it; fallocate(PUNCH_HOLE | KEEP_SIZE) keeps it. MODEL: every write is of
   * whole pages, so the page count is i_size.
   */
  readonly size: number;
  /** The device computes and checks integrity guard tags (DIF/DIX) or the fs checksums data (btrfs). */
  readonly integrity: boolean;
  /** mapping_stable_writes(): writers wait for writeback before changing a page (set with integrity). */
  readonly stableWrites: boolean;
  /** btrfs: the blocks whose stored data checksum does not match their data (a read fails with EIO). */
  readonly csumBad: readonly number[];
  /** Pages whose block another file's page shares after a remap (FIDEDUPERANGE / FICLONERANGE). */
  readonly reflinks: readonly Reflink[];
  /** Cached pages a write that bypassed the page cache (SG_IO) left stale: see StaleCache. */
  readonly staleCache: readonly StaleCache[];
}

/**
 * A passthrough write (SG_IO: blk_rq_map_user_iov, no page cache) changed the block of page `index`
 * while folio `folio` cached it with `data`: the kernel does not invalidate that page (no
 * invalidate_inode_pages2_range on the passthrough path in the 5.10, 6.1, 6.12 or 7.2 trees), so the
 * clean page differs from the disk without any write being lost.
 */
export interface StaleCache {
  readonly index: number;
  readonly folio: number;
  readonly data: string;
}

/** Page `index` of a file shares its disk block with page `otherIndex` of file `other`. */
export interface Reflink {
  readonly index: number;
  readonly other: number;
  readonly otherIndex: number;
}

/** A step's own copy of a file (ownFile). */
export type OwnFile = Own<File, 'cache' | 'disk' | 'size' | 'csumBad' | 'reflinks' | 'staleCache'>;

/** shmem and hugetlbfs keep their pages in memory and need no writeback or dirty tracking. */
export function fileIsMemoryBacked(file: File): boolean {
  return file.fs === 'shmem' || file.fs === 'hugetlbfs';
}

/**
 * i_size_write() where a write or a clone ends past i_size: the file now reaches page `index`. A block
 * device node keeps its size, the device's: blkdev_write_iter() refuses a write at or past it with
 * -ENOSPC (the 5.10 tree's fs/block_dev.c:1922, 6.1 block/fops.c:569, 6.12 :695, 7.2 :748).
 */
export function fileSizeExtend(file: OwnFile, index: number): void {
  if (file.fs !== 'bdev' && file.size <= index) file.size = index + 1;
}
