import type { DioPath } from '../include/blk_types.js';
import type { FsType } from '../include/fs.js';
import { POLICIES, type Policies } from '../profile/policies/index.js';

/**
 * Which direct-I/O implementation a filesystem's ->read_iter / ->write_iter run for IOCB_DIRECT. The
 * kernel picks it by filesystem, and for ext4 and btrfs by release (policies ext4.dioPath,
 * btrfs.dioPath); a scenario names it, so a path the file's filesystem never takes is refused at
 * validation and one it takes only on other releases is not on this one.
 * MODEL: tmpfs and hugetlbfs have no device to do direct I/O to (tmpfs's O_DIRECT, from v6.6, copies
 * through the page cache): pinlab models none.
 * @kernel fs/read_write.c:vfs_iocb_iter_read
 */

/** The paths `fs` takes in some release pinlab models (empty: no direct I/O modelled). */
export function fsDioPaths(fs: FsType): readonly DioPath[] {
  switch (fs) {
    case 'bdev':
      return ['blkdev', 'blkdev-multi', 'blkdev-split'];
    case 'xfs':
      return ['iomap'];
    case 'ext4':
    case 'btrfs':
      return ['iomap', 'legacy'];
    case 'vfat':
      return ['legacy'];
    case 'nfs':
      return ['nfs'];
    case 'ceph':
      return ['ceph'];
    case 'shmem':
    case 'hugetlbfs':
      return [];
  }
}

/** The file-level path `fs` takes on this release (block devices: the single-bio block/fops.c path). */
export function fsDioPath(policies: Policies, fs: FsType): DioPath | null {
  if (fs === 'ext4') return policies['ext4.dioPath'];
  if (fs === 'btrfs') return policies['btrfs.dioPath'];
  return fsDioPaths(fs)[0] ?? null;
}

/** Why `path` is not what `fs` runs on this release, or null when it is. */
export function dioPathUnavailable(policies: Policies, fs: FsType, path: DioPath): string | null {
  if (fs !== 'ext4' && fs !== 'btrfs') return null;
  const now = fsDioPath(policies, fs);
  if (now === path) return null;
  // The release the policy history gives iomap (ext4.dioPath v5.5, btrfs.dioPath v5.10).
  const when = POLICIES[`${fs}.dioPath`].history.find((h) => h.value === 'iomap')?.since ?? '?';
  return now === 'iomap'
    ? `${fs} direct I/O runs iomap_dio_rw from ${when} (policy ${fs}.dioPath): write 'iomap', not '${path}'`
    : `${fs} direct I/O runs fs/direct-io.c before ${when} (policy ${fs}.dioPath): write 'legacy', not '${path}'`;
}
