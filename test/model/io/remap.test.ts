import { describe, expect, it } from 'vitest';
import type { FsType } from '../../../src/model/include/fs.js';
import type { Op } from '../../../src/model/ops/index.js';
import type { RemapOp } from '../../../src/model/ops/remap.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { op, profile } from '../harness.js';
import { explore, fileMap, ioProgram, runOrder } from './io-harness.js';

const remap = (dedupe: boolean): RemapOp => ({
  op: 'remap',
  dedupe,
  file: 'f',
  index: 0,
  dst: 'h',
  dstIndex: 0,
  as: 'd',
});
const fsync: Op = { op: 'fsync', file: 'f' };
const punch: Op = { op: 'fallocate', file: 'f', index: 0 };

/** readv(2) of g[0] into buf with O_DIRECT (ITER_IOVEC: ITER_UBUF is v6.0 on). */
const dioRead: Op = {
  op: 'dio',
  rw: 'read',
  path: 'iomap',
  async: false,
  file: 'g',
  index: 0,
  iter: 'iovec',
  buf: 'buf',
  as: 'r',
};

/** P maps f[0] shared; files f ("A"), h ("B"), g ("D") on `fs`. */
function prog(ops: Op[], fs: FsType = 'xfs', h = 'B') {
  return ioProgram({
    files: [
      { name: 'f', fs, pages: ['A'] },
      { name: 'h', fs, pages: [h] },
      { name: 'g', fs, pages: ['D'] },
    ],
    mappings: [fileMap('buf', 0, true)],
    setup: [op.write('buf', 'B')],
    actors: [{ process: 0, ops }],
    agents: ['device', 'flusher', 'bio-dirty-work'],
  });
}

describe('FIDEDUPERANGE / FICLONERANGE (remap_file_range)', () => {
  it('dedupe of equal pages shares the block on both sides; different pages fail with EBADE', () => {
    const x = runOrder(profile('v6.12'), prog([remap(true)]), []);
    expect(x.world.actors[0]?.regs.d).toBe('1');
    expect(x.world.files[0]?.reflinks).toEqual([{ index: 0, other: 1, otherIndex: 0 }]);
    expect(x.world.files[1]?.reflinks).toEqual([{ index: 0, other: 0, otherIndex: 0 }]);
    const differ = runOrder(profile('v6.12'), prog([remap(true)], 'xfs', 'Z'), []);
    expect(differ.world.actors[0]?.regs.d).toBe('EBADE');
    expect(differ.world.files[1]?.reflinks).toEqual([]);
  });
  it("reflink shares unconditionally and gives the destination the source's data", () => {
    const x = runOrder(profile('v6.12'), prog([remap(false)], 'xfs', 'Z'), []);
    expect(x.world.actors[0]?.regs.d).toBe('1');
    expect(x.world.files[1]?.disk[0]).toBe('B');
  });
  it('ext4 has no ->remap_file_range: EOPNOTSUPP', () => {
    const x = runOrder(profile('v6.12'), prog([remap(true)], 'ext4'), []);
    expect(x.world.actors[0]?.regs.d).toBe('EOPNOTSUPP');
  });
  it.each(RELEASES)(
    '%s: a store through the mapping after the remap gets a COW block (->page_mkwrite)',
    (r) => {
      const x = runOrder(profile(r), prog([remap(true), op.write('buf', 'X'), fsync]), []);
      expect(x.world.files[0]?.disk[0]).toBe('X');
      expect(x.world.files[1]?.disk[0]).toBe('B');
      expect(x.world.files[0]?.reflinks).toEqual([]);
    },
  );
  it('a buffered write and a direct write also break the share before writing', () => {
    const pw = runOrder(
      profile('v6.12'),
      prog([remap(true), { op: 'pwrite', file: 'f', index: 0, data: 'X' }, fsync]),
      [],
    );
    expect(pw.world.files[1]?.disk[0]).toBe('B');
    const dioWrite: Op = { ...dioRead, rw: 'write', file: 'h', as: 'w' };
    const dw = runOrder(profile('v6.12'), prog([remap(true), dioWrite]), []);
    expect(dw.world.files[1]?.disk[0]).toBe('B');
    expect(dw.world.files[1]?.reflinks).toEqual([]);
  });
  const race = (fs: FsType) =>
    ioProgram({
      files: [
        { name: 'f', fs, pages: ['A'] },
        { name: 'h', fs, pages: ['B'] },
        { name: 'g', fs, pages: ['D'] },
      ],
      mappings: [fileMap('buf', 0, true)],
      setup: [op.write('buf', 'B')],
      actors: [
        { process: 0, ops: [dioRead] },
        { process: 0, ops: [fsync, remap(true)] },
      ],
      agents: ['device', 'flusher', 'bio-dirty-work'],
    });
  it.each(['v5.10', 'v6.5', 'v7.2'])(
    '%s: xfs writes a page dirtied behind its back into the shared block',
    (r) => {
      const hs = new Set(explore(profile(r), race('xfs')).finals.map((w) => w.files[1]?.disk[0]));
      expect(hs).toEqual(new Set(['B', 'D']));
    },
  );
  it('btrfs COWs every data write at writeback: the other file keeps its data', () => {
    const hs = new Set(explore(profile('v6.12'), race('btrfs')).finals.map((w) => w.files[1]?.disk[0]));
    expect(hs).toEqual(new Set(['B']));
  });
});

describe('fallocate(PUNCH_HOLE) of a page', () => {
  it('drops the page from the cache and from the mapping, and the block reads zeros', () => {
    const x = runOrder(profile('v6.12'), prog([punch, op.read('buf', 'seen')]), []);
    expect(x.world.files[0]?.disk[0]).toBe('0');
    expect(x.world.actors[0]?.regs.seen).toBe('0');
    expect(x.violations).toEqual([]);
  });
  it('writes a dirty page back first (filemap_write_and_wait_range) and breaks a share', () => {
    const x = runOrder(profile('v6.12'), prog([remap(true), punch]), []);
    expect(x.world.files[1]?.disk[0]).toBe('B');
    expect(x.world.files[1]?.reflinks).toEqual([]);
    expect(x.labels.flatMap((l) => l.calls)).toContain('truncate_pagecache_range');
  });
  it('waits while the page is under writeback (truncate_inode_pages_range)', () => {
    const two = ioProgram({
      files: [{ name: 'f', fs: 'xfs', pages: ['A'] }],
      mappings: [fileMap('buf', 0, true)],
      setup: [op.write('buf', 'B')],
      actors: [
        { process: 0, ops: [fsync] },
        { process: 0, ops: [punch] },
      ],
      agents: ['device'],
    });
    expect(() => runOrder(profile('v6.12'), two, [0, 1])).toThrow(/actor 1 not enabled/);
    expect(runOrder(profile('v6.12'), two, [1]).world.files[0]?.disk[0]).toBe('0');
  });
  it.each(['v5.4', 'v6.4', 'v6.5', 'v7.2'])(
    '%s: a DIO read racing the punch returns success with its data nowhere',
    (r) => {
      const e = explore(
        profile(r),
        ioProgram({
          files: [
            { name: 'f', fs: 'xfs', pages: ['A'] },
            { name: 'g', fs: 'xfs', pages: ['D'] },
          ],
          mappings: [fileMap('buf', 0, true)],
          setup: [op.write('buf', 'B')],
          actors: [
            { process: 0, ops: [{ ...dioRead }, op.read('buf', 'seen')] },
            { process: 0, ops: [fsync, punch] },
          ],
          agents: ['device', 'flusher', 'bio-dirty-work'],
        }),
      );
      const lost = e.finals.some(
        (w) => w.actors[0]?.regs.r === '1' && w.actors[0]?.regs.seen !== 'D' && w.files[0]?.disk[0] !== 'D',
      );
      expect(lost).toBe(true);
      expect(e.violations.has('lost-dio-data')).toBe(true);
    },
  );
});
