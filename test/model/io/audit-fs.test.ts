import { describe, expect, it } from 'vitest';
import type { FsType } from '../../../src/model/include/fs.js';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { anon, op, profile } from '../harness.js';
import { explore, ioProgram, runOrder } from './io-harness.js';

/**
 * Issue 23's audit of src/model/block, fs and drivers against the 5.10, 6.1, 6.12 and 7.2 trees
 * (docs/kernel-audit/block-fs.md): each fix, on every release.
 */

const pwrite = (data: string): Op => ({ op: 'pwrite', file: 'f', index: 0, data });
const dioRead: Op = {
  op: 'dio',
  rw: 'read',
  path: 'iomap',
  async: false,
  file: 'f',
  index: 0,
  iter: 'iovec',
  buf: 'buf',
  as: 'r',
};

describe('the DIO flush waits for a writeback in flight (filemap_write_and_wait_range -> __filemap_fdatawait_range)', () => {
  const prog = ioProgram({
    files: [{ name: 'f', fs: 'xfs', pages: ['A'] }],
    mappings: [anon('buf')],
    setup: [pwrite('B')],
    actors: [{ process: 0, ops: [dioRead, op.read('buf', 'seen')] }],
    agents: ['device', 'flusher'],
  });
  it.each(RELEASES)('%s: every interleaving reads the buffered write, never the old block', (r) => {
    const e = explore(profile(r), prog);
    const seen = new Set(e.finals.map((w) => w.actors[0]?.regs.seen));
    // Before: {"A", "B"} (the direct read served ahead of the writeback's bio).
    expect([...seen]).toEqual(['B']);
  });
});

type RemapCase = readonly [string, boolean, FsType, FsType, string, number?];
const REMAP_CASES: readonly RemapCase[] = [
  // vfs_clone_file_range / do_clone_file_range: superblocks first, then regular files, then the op.
  ['FICLONERANGE across filesystems: EXDEV', false, 'xfs', 'btrfs', 'EXDEV'],
  ['FICLONERANGE between block device nodes (one devtmpfs): EINVAL', false, 'bdev', 'bdev', 'EINVAL'],
  ['FICLONERANGE from xfs to a block device: EXDEV before EINVAL', false, 'xfs', 'bdev', 'EXDEV'],
  ['FICLONERANGE on ext4 (no ->remap_file_range): EOPNOTSUPP', false, 'ext4', 'ext4', 'EOPNOTSUPP'],
  // vfs_dedupe_file_range (the source) then vfs_dedupe_file_range_one (the destination).
  [
    'FIDEDUPERANGE from ext4 to xfs: the source has no ->remap_file_range first',
    true,
    'ext4',
    'xfs',
    'EOPNOTSUPP',
  ],
  ['FIDEDUPERANGE from xfs to btrfs: EXDEV', true, 'xfs', 'btrfs', 'EXDEV'],
  ['FIDEDUPERANGE from a block device: EINVAL (not a regular file)', true, 'bdev', 'xfs', 'EINVAL'],
  ['FIDEDUPERANGE on NFS: EOPNOTSUPP (nfs42_remap_file_range)', true, 'nfs', 'nfs', 'EOPNOTSUPP'],
  ['FIDEDUPERANGE past the destination EOF: EINVAL', true, 'xfs', 'xfs', 'EINVAL', 3],
];

describe('remap_file_range error order (fs/remap_range.c, the same in the four trees)', () => {
  for (const [what, dedupe, srcFs, dstFs, errno, dstIndex] of REMAP_CASES)
    it.each(RELEASES)(`%s: ${what}`, (r) => {
      const prog = ioProgram({
        files: [
          { name: 'f', fs: srcFs, pages: ['A'] },
          { name: 'h', fs: dstFs, pages: ['A'] },
        ],
        mappings: [],
        actors: [
          {
            process: 0,
            ops: [{ op: 'remap', dedupe, file: 'f', index: 0, dst: 'h', dstIndex: dstIndex ?? 0, as: 'd' }],
          },
        ],
      });
      const x = runOrder(profile(r), prog, []);
      expect(x.world.actors[0]?.regs.d).toBe(errno);
      expect(x.world.files[1]?.reflinks).toEqual([]);
    });
  it.each(RELEASES)('%s: the same page of one file: EINVAL (generic_remap_checks: overlap)', (r) => {
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'xfs', pages: ['A'] }],
      mappings: [],
      actors: [
        {
          process: 0,
          ops: [{ op: 'remap', dedupe: true, file: 'f', index: 0, dst: 'f', dstIndex: 0, as: 'd' }],
        },
      ],
    });
    expect(runOrder(profile(r), prog, []).world.actors[0]?.regs.d).toBe('EINVAL');
  });
  it.each(RELEASES)('%s: the remap waits for a writeback in flight before it compares', (r) => {
    const prog = ioProgram({
      files: [
        { name: 'f', fs: 'xfs', pages: ['A'] },
        { name: 'h', fs: 'xfs', pages: ['B'] },
      ],
      mappings: [],
      setup: [pwrite('B')],
      actors: [
        {
          process: 0,
          ops: [{ op: 'remap', dedupe: true, file: 'f', index: 0, dst: 'h', dstIndex: 0, as: 'd' }],
        },
      ],
      agents: ['device', 'flusher'],
    });
    const e = explore(profile(r), prog);
    // f[0] holds "B" in the page cache: written back (by the flusher or the prep) before the compare.
    expect(new Set(e.finals.map((w) => w.actors[0]?.regs.d))).toEqual(new Set(['1']));
  });
});

describe('ioctls and truncation on the wrong kind of file', () => {
  it.each(RELEASES)('%s: SG_IO on a regular file is ENOTTY (vfs_ioctl), nothing is mapped', (r) => {
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'xfs', pages: ['A'] }],
      mappings: [anon('buf')],
      actors: [{ process: 0, ops: [{ op: 'sg-io', rw: 'write', file: 'f', index: 0, buf: 'buf', as: 'r' }] }],
    });
    const x = runOrder(profile(r), prog, []);
    expect(x.world.actors[0]?.regs.r).toBe('ENOTTY');
    expect(x.world.bios).toEqual([]);
  });
  it.each(RELEASES)('%s: ftruncate of a block device is EINVAL (do_sys_ftruncate), its cache stays', (r) => {
    const prog = ioProgram({
      files: [{ name: 'd', fs: 'bdev', pages: ['A'] }],
      mappings: [],
      setup: [{ op: 'pwrite', file: 'd', index: 0, data: 'B' }],
      actors: [{ process: 0, ops: [{ op: 'truncate', file: 'd', pages: 0 }] }],
    });
    const x = runOrder(profile(r), prog, []);
    const label = x.labels.find((l) => l.op === 'truncate');
    expect(label?.ret).toBe(-22);
    expect(x.world.files[0]?.cache[0]).not.toBeNull();
  });
});

/** The backing file's own direct-I/O entry point, by filesystem and release. */
function backingCall(fs: FsType, r: (typeof RELEASES)[number]): string {
  const old = (since: string): boolean => RELEASES.indexOf(r) < RELEASES.indexOf(since as never);
  switch (fs) {
    case 'nfs':
      return 'nfs_file_direct_read';
    case 'ceph':
      return 'ceph_direct_read_write';
    case 'vfat':
      return '__blockdev_direct_IO';
    case 'ext4': // ext4.dioPath: iomap from v5.5 (the first profile after it: v5.8)
      return old('v5.8') ? '__blockdev_direct_IO' : 'iomap_dio_rw';
    case 'btrfs': // btrfs.dioPath: iomap from v5.10
      return old('v5.10') ? '__blockdev_direct_IO' : 'iomap_dio_rw';
    case 'bdev':
      return '__blkdev_direct_IO_async';
    case 'xfs':
    case 'shmem':
    case 'hugetlbfs':
      return 'iomap_dio_rw';
  }
}

describe('loop and LIO run the backing file’s own direct-I/O path (call_read_iter)', () => {
  const fss: FsType[] = ['nfs', 'ceph', 'vfat', 'ext4', 'btrfs', 'xfs'];
  for (const fs of fss)
    it.each(RELEASES)(`%s: loop over a file on ${fs}`, (r) => {
      const prog = ioProgram({
        files: [{ name: 'f', fs, pages: ['D'] }],
        mappings: [],
        actors: [
          {
            process: 0,
            ops: [
              { op: 'kalloc', kind: 'page', as: 'p' },
              {
                op: 'kernel-aio',
                driver: 'loop',
                rw: 'read',
                async: false,
                file: 'f',
                index: 0,
                handle: 'p',
                as: 'r',
              },
              op.peek('p', 'seen'),
              op.put('p'),
            ],
          },
        ],
      });
      const x = runOrder(profile(r), prog, []);
      expect(x.labels.flatMap((l) => l.calls)).toContain(backingCall(fs, r));
      expect(x.world.actors[0]?.regs).toMatchObject({ r: '1', seen: 'D' });
      expect(x.violations).toEqual([]);
    });
});

describe('lost-write is not a stale page cache (SG_IO writes under the cache)', () => {
  it.each(RELEASES)(
    '%s: an SG_IO write to a cached block leaves the page stale, which is no lost write',
    (r) => {
      const prog = ioProgram({
        files: [{ name: 'sda', fs: 'bdev', pages: ['D'] }],
        mappings: [anon('buf')],
        setup: [op.write('buf', 'X'), { op: 'pread', file: 'sda', index: 0, reg: 'before' }],
        actors: [
          { process: 0, ops: [{ op: 'sg-io', rw: 'write', file: 'sda', index: 0, buf: 'buf', as: 'r' }] },
        ],
      });
      const x = runOrder(profile(r), prog, []);
      expect(x.world.actors[0]?.regs.r).toBe('1');
      expect(x.world.files[0]?.disk[0]).toBe('X');
      // The cached page still holds "D" (the kernel does not invalidate it): stale, not lost.
      const cached = x.world.files[0]?.cache[0];
      expect(cached === null || cached === undefined ? null : x.world.folios[cached]?.data).toBe('D');
      // Before: lost-write "clean page holds D, disk differs" at the end of every run.
      expect(x.violations.filter((v) => v.invariant === 'lost-write')).toEqual([]);
    },
  );
});
