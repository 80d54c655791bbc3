import { describe, expect, it } from 'vitest';
import type { DioPath } from '../../../src/model/include/blk_types.js';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { profile } from '../harness.js';
import { ioProgram, runOrder } from '../io/io-harness.js';

/**
 * Issue 23's block ledger (docs/kernel-audit/ledger/block.md): what the four trees' block/fops.c
 * (fs/block_dev.c in 5.10) do when a direct I/O's page grab fails, on every release.
 */

/** An O_DIRECT read of a block device into a vmalloc'ed buffer through an ITER_KVEC iterator. */
function kvecRead(path: DioPath, async: boolean): Op[] {
  return [
    { op: 'kalloc', kind: 'vmalloc', as: 'k' },
    { op: 'dio', rw: 'read', path, async, file: 'f', index: 0, iter: 'kvec', buf: 'k', as: 'r' },
    ...(async ? [{ op: 'await', as: 'r' } as Op] : []),
  ];
}

function run(r: (typeof RELEASES)[number], path: DioPath, async: boolean): string | undefined {
  const prog = ioProgram({
    files: [{ name: 'f', fs: 'bdev', pages: ['D'] }],
    mappings: [],
    actors: [{ process: 0, ops: kvecRead(path, async) }],
  });
  return runOrder(profile(r), prog, []).world.actors[0]?.regs.r;
}

// iov_iter_get_pages*() refuse an ITER_KVEC (-EFAULT) up to v6.4; from v6.5 iov_iter_extract_pages()
// lists its pages and the read lands (kvec-vmalloc-extract).
const grabFails = (r: (typeof RELEASES)[number]): boolean => !releaseAtLeast(r, 'v6.5');

describe('a failed page grab on the block device paths (blkdev.asyncDio)', () => {
  it.each(RELEASES)(
    '%s: async, one bio: -EIO from ->ki_complete before v5.16 (__blkdev_direct_IO), -EFAULT at submission after',
    (r) => {
      const want = !grabFails(r) ? '1' : releaseAtLeast(r, 'v5.16') ? 'EFAULT' : 'EIO';
      expect(run(r, 'blkdev', true)).toBe(want);
    },
  );
  it.each(RELEASES)('%s: async, multi-bio (__blkdev_direct_IO): -EIO from ->ki_complete', (r) => {
    expect(run(r, 'blkdev-multi', true)).toBe(grabFails(r) ? 'EIO' : '1');
  });
  it.each(RELEASES)('%s: sync, simple and multi-bio: the grab error itself', (r) => {
    expect(run(r, 'blkdev', false)).toBe(grabFails(r) ? 'EFAULT' : '1');
    expect(run(r, 'blkdev-multi', false)).toBe(grabFails(r) ? 'EFAULT' : '1');
  });
});
