import { describe, expect, it } from 'vitest';
import type { DioPath } from '../../../src/model/include/blk_types.js';
import type { Op } from '../../../src/model/ops/index.js';
import type { FsType } from '../../../src/model/include/fs.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { anon, profile } from '../harness.js';
import { explore, fileMap, ioProgram } from './io-harness.js';

/**
 * NFS and ceph O_DIRECT (fs/nfs/direct.c, fs/ceph/file.c): FOLL_GET references in every release, so
 * seed 001's open(2) question has a different answer there than on the block and iomap paths.
 */
type NetPath = Extract<DioPath, 'nfs' | 'ceph'>;
const NET: NetPath[] = ['nfs', 'ceph'];

function dio(
  path: DioPath,
  rw: 'read' | 'write',
  async: boolean,
  iter: 'iovec' | 'bvec' | 'kvec',
  buf: string,
): Op {
  return { op: 'dio', rw, path, async, file: 'f', index: 0, iter, buf, as: 'r' };
}

function forkRace(release: string, path: DioPath, async: boolean, set: Record<string, string> = {}): boolean {
  const read = dio(path, 'read', async, 'iovec', 'buf');
  const prog = ioProgram({
    files: [{ name: 'f', fs: path === 'nfs' || path === 'ceph' ? path : 'xfs', pages: ['D'] }],
    mappings: [anon('buf')],
    setup: [{ op: 'write', buf: 'buf', data: 'A' }],
    actors: [
      { process: 0, ops: async ? [read, { op: 'await', as: 'r' }] : [read] },
      {
        process: 0,
        ops: [
          { op: 'fork', child: 1 },
          { op: 'touch', buf: 'buf' },
        ],
      },
    ],
    agents: ['device'],
  });
  const r = explore(profile(release, set), prog);
  expect([...r.violations.keys()].filter((k) => k !== 'lost-dio-data')).toEqual([]);
  return r.violations.has('lost-dio-data');
}

describe('NFS and ceph O_DIRECT read racing fork (seed 001 line 56)', () => {
  for (const path of NET)
    for (const async of [false, true])
      it.each(RELEASES)(`${path} ${async ? 'async' : 'sync'}: the parent can lose the data on %s`, (r) => {
        expect(forkRace(r, path, async)).toBe(true);
      });
  it.each(['v5.10', 'v6.18', 'v7.2'])('the what-if netfs.dioGrab=pin keeps the data on %s', (r) => {
    for (const path of NET) expect(forkRace(r, path, true, { 'netfs.dioGrab': 'pin' })).toBe(false);
  });
  it('where iomap never loses it (v6.18, v7.2)', () => {
    expect(forkRace('v6.18', 'iomap', false)).toBe(false);
    expect(forkRace('v7.2', 'iomap', true)).toBe(false);
  });
});

/** One read or write on a file of `fs`, every interleaving; the events and final worlds. */
function single(
  path: NetPath,
  ops: Op[],
  mappings = [anon('buf')],
  files: { name: string; fs: FsType; pages: string[] }[] = [{ name: 'f', fs: path, pages: ['D'] }],
  other: Op[] = [],
) {
  return explore(
    profile('v6.18'),
    ioProgram({
      files,
      mappings,
      setup: [{ op: 'write', buf: 'buf', data: 'A' }],
      actors:
        other.length > 0
          ? [
              { process: 0, ops },
              { process: 0, ops: other },
            ]
          : [{ process: 0, ops }],
      agents: ['device'],
    }),
  );
}

describe('how NFS and ceph hold and release the pages', () => {
  for (const path of NET) {
    it(`${path}: the request holds a reference, not a pin, until its completion, then none is left`, () => {
      const r = single(path, [dio(path, 'read', false, 'iovec', 'buf')]);
      expect([...r.violations.keys()]).toEqual([]);
      const counts = r.events.filter((e) => e.type === 'counter-mismatch');
      expect(counts).toEqual([]);
      for (const w of r.finals) {
        const buf = w.folios.find((f) => !f.freed && f.data === 'D');
        expect(buf?.refcount).toBe(1);
        expect(buf?.pincount ?? 0).toBe(0);
      }
    });
    it(`${path}: a read into a MAP_SHARED file page that writeback cleaned meanwhile dirties it behind the filesystem`, () => {
      const fn = path === 'nfs' ? 'set_page_dirty' : 'set_page_dirty_lock';
      const r = single(
        path,
        [dio(path, 'read', false, 'iovec', 'buf')],
        [fileMap('buf', 1, true)],
        [
          { name: 'f', fs: path, pages: ['D'] },
          { name: 'g', fs: 'xfs', pages: ['A'] },
        ],
        [{ op: 'fsync', file: 'g' }],
      );
      const dirty = r.events.filter((e) => e.type === 'dirty-without-fs');
      expect(dirty.length).toBeGreaterThan(0);
      for (const e of dirty) expect(e.type === 'dirty-without-fs' && e.fn).toBe(fn);
      // The read's data is never lost: the page is dirty again, or writeback ran after the read.
      for (const w of r.finals)
        expect(w.files[1]?.disk[0] === 'D' || w.folios.some((f) => f.data === 'D' && f.flags.dirty)).toBe(
          true,
        );
    });
    it(`${path}: a write sends the page to the server, and the page is released`, () => {
      const r = single(path, [dio(path, 'write', false, 'iovec', 'buf')]);
      expect([...r.violations.keys()]).toEqual([]);
      for (const w of r.finals) expect(w.files[0]?.disk[0]).toBe('A');
    });
    it(`${path}: ITER_KVEC is refused with EFAULT (iov_iter_get_pages2 cannot take it)`, () => {
      const r = explore(
        profile('v6.18'),
        ioProgram({
          files: [{ name: 'f', fs: path, pages: ['D'] }],
          mappings: [],
          actors: [
            {
              process: 0,
              ops: [{ op: 'kalloc', kind: 'vmalloc', as: 'k' }, dio(path, 'read', false, 'kvec', 'k')],
            },
          ],
          agents: ['device'],
        }),
      );
      for (const w of r.finals) expect(w.actors[0]?.regs.r).toBe('EFAULT');
    });
  }
});

describe('ITER_BVEC pages whose owner lets go before the reply (seed 004 lines 65-69)', () => {
  const early = (path: NetPath, set: Record<string, string>): boolean =>
    explore(
      profile('v7.2', set),
      ioProgram({
        files: [{ name: 'f', fs: path, pages: ['D'] }],
        mappings: [],
        actors: [
          {
            process: 0,
            ops: [
              { op: 'kalloc', kind: 'page', as: 'p' },
              { ...dio(path, 'read', true, 'bvec', 'p') },
              { op: 'release', handle: 'p', how: 'put' },
              { op: 'await', as: 'r' },
            ],
          },
        ],
        agents: ['device'],
      }),
    ).violations.has('use-after-free');
  for (const path of NET) {
    it(`${path}: the request's own reference keeps the page alive`, () => {
      expect(early(path, {})).toBe(false);
    });
    it(`${path}: converted to iov_iter_extract_pages (netfs.dioGrab=pin) the page is freed under the I/O`, () => {
      expect(early(path, { 'netfs.dioGrab': 'pin' })).toBe(true);
    });
  }
});
