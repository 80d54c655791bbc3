import { describe, expect, it } from 'vitest';
import type { DioPath } from '../../../src/model/include/blk_types.js';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import type { FsType } from '../../../src/model/include/fs.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';

/**
 * Seed 000/001, problem 1: an O_DIRECT read into a private anonymous buffer while another thread of the
 * process forks and then stores next to the buffer (David Hildenbrand's O_DIRECT+fork tests). With
 * FOLL_GET references fork shares the page and the parent's store copies it: the DMA lands in the
 * child's page and the parent loses the data. With FOLL_PIN (v6.5) fork copies for the child instead.
 */
const FS: Record<DioPath, FsType> = {
  blkdev: 'bdev',
  'blkdev-multi': 'bdev',
  iomap: 'xfs',
  legacy: 'ext4',
  nfs: 'nfs',
  ceph: 'ceph',
  'blkdev-split': 'bdev',
};

function dioFork(path: DioPath, async: boolean): Op[][] {
  const dio: Op = {
    op: 'dio',
    rw: 'read',
    path,
    async,
    file: 'f',
    index: 0,
    iter: 'ubuf',
    buf: 'buf',
    as: 'r',
  };
  const reader: Op[] = async ? [dio, { op: 'await', as: 'r' }] : [dio];
  return [
    reader,
    [
      { op: 'fork', child: 1 },
      { op: 'touch', buf: 'buf' },
    ],
  ];
}

function loses(release: string, path: DioPath, async: boolean, set: Record<string, string> = {}): boolean {
  const [reader, forker] = dioFork(path, async) as [Op[], Op[]];
  const iter = release === 'v4.19' || release === 'v5.4' || release === 'v5.8' ? 'iovec' : 'ubuf';
  const prog = ioProgram({
    files: [{ name: 'f', fs: FS[path], pages: ['D'] }],
    mappings: [anon('buf')],
    setup: [{ op: 'write', buf: 'buf', data: 'A' }],
    actors: [
      { process: 0, ops: reader.map((o) => (o.op === 'dio' ? { ...o, iter } : o)) },
      { process: 0, ops: forker },
    ],
  });
  const r = explore(profile(release, set), prog);
  for (const k of r.violations.keys()) expect(['lost-dio-data']).toContain(k);
  return r.violations.has('lost-dio-data');
}

const PATHS: DioPath[] = ['blkdev', 'blkdev-multi', 'iomap', 'legacy'];
const OLD = RELEASES.filter((r) =>
  ['v4.19', 'v5.4', 'v5.8', 'v5.10', 'v5.15', 'v5.19', 'v6.1', 'v6.2', 'v6.4'].includes(r),
);
const NEW = RELEASES.filter((r) => !OLD.includes(r));

describe('O_DIRECT read into private anon memory racing fork (seed 000/001)', () => {
  for (const path of PATHS)
    for (const async of [false, true]) {
      const how = `${path} ${async ? 'async' : 'sync'}`;
      it.each(OLD)(`${how}: the parent can lose the data on %s (FOLL_GET)`, (r) => {
        expect(loses(r, path, async)).toBe(true);
      });
      it.each(NEW)(`${how}: the parent never loses the data on %s (FOLL_PIN)`, (r) => {
        expect(loses(r, path, async)).toBe(false);
      });
    }
  it('dio.extract=get on v6.6 brings the loss back', () => {
    expect(loses('v6.6', 'iomap', false, { 'dio.extract': 'get' })).toBe(true);
  });
  it('the Howells v8 proposal (base v6.2) fixes it', () => {
    expect(loses('howells-v8', 'iomap', false)).toBe(false);
    expect(loses('howells-v8', 'legacy', true)).toBe(false);
  });
});
