import { describe, expect, it } from 'vitest';
import type { DioPath } from '../../../src/model/include/blk_types.js';
import type { FsType } from '../../../src/model/include/fs.js';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { profile } from '../harness.js';
import { explore, fileMap, ioProgram } from './io-harness.js';

const PINNED: string[] = RELEASES.filter((r) => releaseAtLeast(r, 'v6.5'));
const OLD = RELEASES.filter((r) => !PINNED.includes(r));
const iterFor = (r: string): 'ubuf' | 'iovec' => (['v4.19', 'v5.4', 'v5.8'].includes(r) ? 'iovec' : 'ubuf');

/** A DIO read from file g into `buf`, a MAP_SHARED mapping of file f page 0 that the program dirtied. */
function sharedDio(
  release: string,
  opts: {
    path?: DioPath;
    fs?: FsType;
    integrity?: boolean;
    second: Op[];
    flusher?: boolean;
    async?: boolean;
  },
) {
  const path = opts.path ?? 'iomap';
  const dio: Op = {
    op: 'dio',
    rw: 'read',
    path,
    async: opts.async ?? false,
    file: 'g',
    index: 0,
    iter: iterFor(release),
    buf: 'buf',
    as: 'r',
  };
  return ioProgram({
    files: [
      { name: 'f', fs: opts.fs ?? 'xfs', pages: ['A'], integrity: opts.integrity ?? false },
      { name: 'g', fs: 'xfs', pages: ['D'] },
    ],
    mappings: [fileMap('buf', 0, true)],
    setup: [{ op: 'write', buf: 'buf', data: 'B' }],
    actors: [
      { process: 0, ops: opts.async ? [dio, { op: 'await', as: 'r' }] : [dio] },
      { process: 0, ops: opts.second },
    ],
    agents: opts.flusher ? ['device', 'flusher', 'bio-dirty-work'] : ['device', 'bio-dirty-work'],
  });
}

describe('seed 000 problem 2: DIO read into a MAP_SHARED file page racing writeback, device with integrity', () => {
  const run = (r: string, set: Record<string, string> = {}) =>
    explore(profile(r, set), sharedDio(r, { integrity: true, second: [], flusher: true }));
  it.each(RELEASES)('%s: the DMA can change the page between its guard tag and the device read', (r) => {
    const x = run(r);
    expect(x.violations.has('stable-page-violation')).toBe(true);
    const trace = x.violations.get('stable-page-violation')?.trace.map((l) => l.fn);
    // writeback submits (tag), the DIO's DMA changes the page, then the device reads it.
    expect(trace).toEqual(expect.arrayContaining(['write_cache_pages', 'dma-to-memory', 'dma-from-memory']));
    expect(x.violations.has('lost-write')).toBe(false);
  });
  it.each(PINNED)('%s with the what-if wb.pinned=skip: pins keep writeback away', (r) => {
    expect(run(r, { 'wb.pinned': 'skip' }).violations.has('stable-page-violation')).toBe(false);
  });
  it.each(OLD)('%s with wb.pinned=skip: FOLL_GET references are invisible, the violation stays', (r) => {
    expect(run(r, { 'wb.pinned': 'skip' }).violations.has('stable-page-violation')).toBe(true);
  });
});

describe('seed 003 problem 3: DIO into a file page after writeback cleaned it (Jan Kara, LSF/MM 2018)', () => {
  const second: Op[] = [
    { op: 'fsync', file: 'f' },
    { op: 'reclaim', file: 'f', index: 0 },
    { op: 'fsync', file: 'f' },
  ];
  const run = (r: string, set: Record<string, string> = {}) =>
    explore(profile(r, set), sharedDio(r, { fs: 'ext4', second }));
  it.each(RELEASES)(
    '%s: the page is dirtied without page_mkwrite, without buffers after reclaim while only FOLL_GET holds it',
    (r) => {
      const x = run(r);
      expect(x.violations.has('dirty-without-fs')).toBe(true);
      // From v6.5 the DIO pins, and reclaim (from v6.4) leaves a pinned page its buffers.
      expect(x.events.some((e) => e.type === 'dirty-without-fs' && !e.buffers)).toBe(!PINNED.includes(r));
    },
  );
  it.each(['v4.19', 'v5.4', 'v5.8', 'v5.10', 'v5.15'])('%s: ext4 writeback hits BUG_ON (no buffers)', (r) => {
    const x = run(r);
    expect(x.events.some((e) => e.type === 'fs-bug')).toBe(true);
    expect(x.violations.has('lost-write')).toBe(false);
  });
  it.each(['v5.19', 'v6.1', 'v6.2', 'v6.4'])(
    '%s: ext4 warns and cleans the page: the DMA data is lost',
    (r) => {
      const x = run(r);
      expect(x.events.some((e) => e.type === 'fs-bug')).toBe(false);
      expect(x.violations.has('lost-write')).toBe(true);
    },
  );
  it.each(PINNED)('%s: reclaim leaves the pinned page its buffers: ext4 writes the DMA data', (r) => {
    const x = run(r);
    expect(x.events.some((e) => e.type === 'fs-bug')).toBe(false);
    expect(x.violations.has('lost-write')).toBe(false);
  });
  it.each(PINNED)('%s with reclaim.pinnedFile=release: the buffers go and the data is lost again', (r) => {
    expect(run(r, { 'reclaim.pinnedFile': 'release' }).violations.has('lost-write')).toBe(true);
  });
  it.each(PINNED)('%s with wb.pinned=skip: writeback never cleans the pinned page', (r) => {
    expect(run(r, { 'wb.pinned': 'skip' }).violations.has('dirty-without-fs')).toBe(false);
  });
});

describe("seed 002 problem 6: should_dirty / bio_check_pages_dirty dropped (Al Viro's claim, dio.redirty=none)", () => {
  const PATHS: [DioPath, boolean][] = [
    ['blkdev', false],
    ['blkdev', true],
    ['blkdev-multi', false],
    ['iomap', false],
    ['iomap', true],
    ['legacy', false],
    ['legacy', true],
  ];
  const run = (r: string, path: DioPath, async: boolean, set: Record<string, string>) =>
    explore(profile(r, set), sharedDio(r, { path, async, second: [{ op: 'fsync', file: 'f' }] }));
  for (const [path, async] of PATHS) {
    const how = `${path} ${async ? 'async' : 'sync'}`;
    it.each(RELEASES)(`${how} on %s: with the re-dirty logic no write is lost`, (r) => {
      expect(run(r, path, async, {}).violations.has('lost-write')).toBe(false);
    });
    it.each(RELEASES)(
      `${how} on %s: without it writeback can clean the page mid-DMA and the data is lost`,
      (r) => {
        expect(run(r, path, async, { 'dio.redirty': 'none' }).violations.has('lost-write')).toBe(true);
      },
    );
    it.each(PINNED)(`${how} on %s: only if writeback also skipped pinned pages would it be safe`, (r) => {
      const x = run(r, path, async, { 'dio.redirty': 'none', 'wb.pinned': 'skip' });
      expect(x.violations.has('lost-write')).toBe(false);
    });
  }
});
