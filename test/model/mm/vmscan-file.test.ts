import { describe, expect, it } from 'vitest';
import type { FsType } from '../../../src/model/include/fs.js';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { madviseVmaBehavior } from '../../../src/model/mm/madvise.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { shrinkFileFolio } from '../../../src/model/mm/vmscan-file.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../../../src/model/profile/release.js';
import { ownFile } from '../../../src/model/core/cow.js';
import { bench, fileMap, fileSpec } from '../builders.js';

/**
 * Which filesystems' ->writepage reclaim's pageout() can call, per release (policy
 * reclaim.fileWritepage): the 5.10 tree has it for all; xfs drops it in v5.15, btrfs in v6.0 (absent
 * from the 6.1 tree), ext4 in v6.2 ("ext4: stop providing .writepage hook", merged with the 6.2 ext4
 * pull; present in the 6.1 tree), the block device and NFS in v6.8 (absent from the 6.12 tree), ceph
 * in v6.15 ("ceph: Remove ceph_writepage()").
 */
function writes(r: Release, fs: FsType): boolean {
  if (fs === 'shmem') return true;
  if (fs === 'xfs') return !releaseAtLeast(r, 'v5.15');
  if (fs === 'btrfs') return !releaseAtLeast(r, 'v6.0');
  if (fs === 'ext4') return !releaseAtLeast(r, 'v6.2');
  if (fs === 'ceph') return !releaseAtLeast(r, 'v6.15');
  return !releaseAtLeast(r, 'v6.8');
}

const FS: FsType[] = ['ext4', 'xfs', 'btrfs', 'bdev', 'ceph', 'shmem'];

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

describe('MADV_PAGEOUT of a page-cache folio (pageoutFileVma, direct reclaim)', () => {
  // can_do_pageout() (5.10 mm/madvise.c:533) / can_do_file_pageout() (6.12 :317, 7.2 :337) let the
  // caller page out file folios it maps once; reclaim_pages() is not kswapd, so a dirty file-LRU folio is
  // activated, not written (5.10 mm/vmscan.c:1337, 6.1 :1921, 6.12 :1360, 7.2 :1364).
  const PAGEOUT_RELEASES = RELEASES.filter((r) => releaseAtLeast(r, 'v5.4'));
  it.each(PAGEOUT_RELEASES)('frees a clean folio mapped only here (%s)', (r) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'read');
    const f = b.folio('map');
    expect(madviseVmaBehavior(b.ctx, b.w, b.at('map'), 'pageout')).toBe(0);
    expect(b.vma('map').pte.kind).toBe('none');
    expect([f.freed, ownFile(b.w, 0).cache[0]]).toEqual([true, null]);
  });
  it.each(PAGEOUT_RELEASES)('unmaps a dirty ext4 folio but keeps it dirty and cached (%s)', (r) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'write');
    const f = b.folio('map');
    f.data = 'B';
    expect(madviseVmaBehavior(b.ctx, b.w, b.at('map'), 'pageout')).toBe(0);
    const file = ownFile(b.w, 0);
    expect(b.vma('map').pte.kind).toBe('none');
    expect([file.cache[0], f.flags.dirty, file.disk[0]]).toEqual([f.id, true, 'A']);
  });
  it.each(PAGEOUT_RELEASES)('leaves a folio another process maps alone (%s)', (r) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'read');
    const child = dupMm(b.ctx, b.w, 0);
    handleMmFault(b.ctx, b.w, b.at('map', child), 'read');
    const f = b.folio('map');
    expect(f.mapcount).toBe(2);
    madviseVmaBehavior(b.ctx, b.w, b.at('map'), 'pageout');
    expect(b.vma('map').pte).toMatchObject({ kind: 'present', folio: f.id });
  });
});
