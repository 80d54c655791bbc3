import { describe, expect, it } from 'vitest';
import type { FsType } from '../../../src/model/include/fs.js';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { shrinkFileFolio } from '../../../src/model/mm/vmscan-file.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../../../src/model/profile/release.js';
import { ownFile } from '../../../src/model/core/cow.js';
import { bench, fileMap, fileSpec } from '../builders.js';

/**
 * Which filesystems' ->writepage reclaim's pageout() can call, per release (policy
 * reclaim.fileWritepage): the 5.10 tree has it for all; xfs drops it in v5.15, btrfs by v6.0 (absent
 * from the 6.1 tree), ext4 in v6.3 (present in the 6.1 tree, absent from the 6.12 one); the block
 * device, NFS and ceph have it in the 6.1 tree and not in the 6.12 one.
 */
function writes(r: Release, fs: FsType): boolean {
  if (fs === 'shmem') return true;
  if (fs === 'xfs') return !releaseAtLeast(r, 'v5.15');
  if (fs === 'btrfs') return !releaseAtLeast(r, 'v6.0');
  if (fs === 'ext4') return !releaseAtLeast(r, 'v6.3');
  return !releaseAtLeast(r, 'v6.12');
}

const FS: FsType[] = ['ext4', 'xfs', 'btrfs', 'bdev', 'shmem'];

describe('shrinkFileFolio on a dirty page-cache folio nothing else holds (policy reclaim.fileWritepage)', () => {
  it.each(RELEASES.flatMap((r) => FS.map((fs) => [r, fs] as const)))('%s %s', (r, fs) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', fs, 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'read');
    const f = b.folio('map');
    f.data = 'B';
    // Dirtied the ordinary way: ->page_mkwrite attached buffers (ext4 writes only such a folio).
    setFolioFlag(f, 'dirty', true);
    setFolioFlag(f, 'buffers', true);
    const file = ownFile(b.w, 0);
    const result = shrinkFileFolio(b.ctx, b.w, file, 0);
    expect(b.vma('map').pte.kind).toBe('none');
    if (writes(r, fs)) {
      // pageout() wrote it; clean and unreferenced, it leaves the page cache.
      expect(result).toBe('freed');
      expect(file.disk[0]).toBe('B');
    } else {
      // PAGE_ACTIVATE: still dirty, still cached, the disk not written.
      expect(result).toBe('kept-dirty');
      expect([file.cache[0], f.flags.dirty, file.disk[0]]).toEqual([f.id, true, 'A']);
    }
  });
});
