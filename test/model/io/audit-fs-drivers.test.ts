import { describe, expect, it } from 'vitest';
import { EOPNOTSUPP } from '../../../src/model/include/errno.js';
import type { FsType } from '../../../src/model/include/fs.js';
import type { Op } from '../../../src/model/ops/index.js';
import { fsDioPath } from '../../../src/model/fs/dio-path.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram, runOrder } from './io-harness.js';

/**
 * Issue 23's @kernel ledger for fs and drivers (docs/kernel-audit/ledger/fs-drivers.md): each fix, on
 * every release.
 */

const punch: Op = { op: 'fallocate', file: 'f', index: 0 };

describe('fallocate(PUNCH_HOLE) on vfat: fat_fallocate refuses every mode but KEEP_SIZE (fs/fat/file.c, four trees)', () => {
  it.each(RELEASES)('%s: EOPNOTSUPP, and the page and its block stay', (r) => {
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'vfat', pages: ['A'] }],
      mappings: [],
      actors: [{ process: 0, ops: [punch] }],
    });
    const x = runOrder(profile(r), prog, []);
    // Before: 0, and the block read zeros.
    expect(x.labels.find((l) => l.op === 'fallocate')?.ret).toBe(-EOPNOTSUPP);
    expect(x.world.files[0]?.disk[0]).toBe('A');
    expect(x.labels.flatMap((l) => l.calls)).not.toContain('truncate_pagecache_range');
  });
});

describe('fallocate(PUNCH_HOLE) waits for direct I/O to the file in flight (inode_dio_wait: xfs_file_fallocate, ext4)', () => {
  for (const fs of ['xfs', 'ext4'] as const satisfies readonly FsType[])
    it.each(RELEASES)(
      `%s: ${fs}: the punch comes after the direct read, which returns the old block`,
      (r) => {
        const p = profile(r);
        const path = fsDioPath(p.policies, fs);
        if (path === null) throw new Error(`no direct I/O on ${fs}`);
        const read: Op = {
          op: 'dio',
          rw: 'read',
          path,
          async: false,
          file: 'f',
          index: 0,
          iter: 'iovec',
          buf: 'buf',
          as: 'r',
        };
        const prog = ioProgram({
          files: [{ name: 'f', fs, pages: ['A'] }],
          mappings: [anon('buf')],
          actors: [
            { process: 0, ops: [read] },
            { process: 0, ops: [punch] },
          ],
        });
        // Before: the punch ran while the read was in flight.
        expect(() => runOrder(p, prog, [0, 1])).toThrow(/actor 1 not enabled/);
        const x = runOrder(p, prog, []);
        expect(x.world.actors[0]?.regs.r).toBe('1');
        expect(x.world.files[0]?.disk[0]).toBe('0');
        const ops = x.labels.map((l) => l.op);
        expect(ops.indexOf('fallocate')).toBeGreaterThan(ops.lastIndexOf('device'));
      },
    );
});

describe('a ublk request registered in two slots ends with the release of the last one (ublk_sub_req_ref, ublk_io_release)', () => {
  const reg = (index: number): Op => ({
    op: 'ublk',
    action: 'register',
    dir: 'read',
    handle: 'rq',
    index,
    reg: `reg${index}`,
  });
  const unreg = (index: number): Op => ({ op: 'ublk', action: 'unregister', index, reg: `unreg${index}` });
  const prog = ioProgram({
    files: [{ name: 'f', fs: 'xfs', pages: ['D'] }],
    mappings: [],
    actors: [
      {
        process: 0,
        ops: [
          { op: 'kalloc', kind: 'page', as: 'rq' },
          reg(0),
          reg(1),
          { op: 'ublk', action: 'commit', handle: 'rq' },
          unreg(0),
          unreg(1),
        ],
      },
      {
        process: 0,
        ops: [{ op: 'uring-rw', rw: 'read', index: 1, path: 'iomap', file: 'f', fileIndex: 0, as: 'r' }],
      },
    ],
    agents: ['device'],
  });
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v6.15')))(
    '%s: a READ_FIXED on the second slot after the first is unregistered reads into a live page',
    (r) => {
      const e = explore(profile(r), prog);
      // Before: the first release ended the committed request and freed its page under slot 1.
      expect([...e.violations.keys()]).toEqual([]);
      for (const w of e.finals) {
        expect(w.actors[0]?.held.rq).toBeUndefined();
        expect(w.uring).toEqual([]);
      }
    },
  );
});
