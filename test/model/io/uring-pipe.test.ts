import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { opDef } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import type { PageSpec } from '../../../src/model/engine/program.js';
import { HUGETLB_2M, anon, profile } from '../harness.js';
import { explore, fileMap, ioProgram, runOrder } from './io-harness.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';

const URING = RELEASES.filter((r) => r !== 'v4.19');

describe('seed 002 problem 7: READ_FIXED with O_DIRECT into a registered buffer', () => {
  const readFixed: Op = {
    op: 'uring-rw',
    rw: 'read',
    index: 0,
    path: 'iomap',
    file: 'g',
    fileIndex: 0,
    as: 'r',
  };
  function run(release: string, buf: 'anon' | 'shmem' | 'ext4') {
    const mapping = buf === 'anon' ? anon('buf') : fileMap('buf', buf === 'shmem' ? 1 : 0, true);
    const prog = ioProgram({
      files: [
        { name: 'f', fs: 'ext4', pages: ['A'] },
        { name: 's', fs: 'shmem', pages: ['A'] },
        { name: 'g', fs: 'xfs', pages: ['D'] },
      ],
      mappings: [mapping],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'uring-register', buf: 'buf', index: 0, reg: 'reg' },
            readFixed,
            { op: 'uring-unregister', index: 0 },
            { op: 'read', buf: 'buf', reg: 'seen' },
          ],
        },
      ],
    });
    return runOrder(profile(release), prog, []);
  }
  it('io_uring does not exist on v4.19', () => {
    expect(opDef(readFixed).unavailable(profile('v4.19').policies, readFixed)).not.toBeNull();
  });
  it.each(URING)('%s: the data arrives, but no step of READ_FIXED dirties a page', (r) => {
    const x = run(r, 'anon');
    expect(x.world.actors[0]?.regs).toMatchObject({ reg: '0', r: '1', seen: 'D' });
    const rw = x.labels.filter(
      (l) => l.op === 'uring-rw' || l.op === 'device' || l.op === 'uring-unregister',
    );
    expect(rw.flatMap((l) => l.calls)).not.toContain('folio_mark_dirty');
    expect(rw.flatMap((l) => l.calls)).toContain('bio_iov_bvec_set');
    expect(x.violations).toEqual([]);
  });
  it.each(URING)('%s: the same read through preadv (ITER_UBUF/IOVEC) pre-dirties its pages', (r) => {
    const prog = ioProgram({
      files: [{ name: 'g', fs: 'xfs', pages: ['D'] }],
      mappings: [anon('buf')],
      actors: [
        {
          process: 0,
          ops: [
            {
              op: 'dio',
              rw: 'read',
              path: 'iomap',
              async: true,
              file: 'g',
              index: 0,
              iter: ['v5.4', 'v5.8'].includes(r) ? 'iovec' : 'ubuf',
              buf: 'buf',
              as: 'r',
            },
            { op: 'await', as: 'r' },
          ],
        },
      ],
    });
    const x = runOrder(profile(r), prog, []);
    expect(x.labels.flatMap((l) => l.calls)).toContain('bio_set_pages_dirty');
  });
  it.each(URING)('%s: a shmem MAP_SHARED buffer registers from v5.14 (no dirty tracking needed)', (r) => {
    const before514 = ['v5.4', 'v5.8', 'v5.10'].includes(r);
    const want = before514 ? { reg: 'EOPNOTSUPP' } : { reg: '0', r: '1', seen: 'D' };
    expect(run(r, 'shmem').world.actors[0]?.regs).toMatchObject(want);
  });
  it.each(URING)(
    '%s: an ext4 MAP_SHARED buffer is refused, so the missing dirtying never meets the page cache',
    (r) => {
      const want = releaseAtLeast(r, 'v6.5') ? 'EFAULT' : 'EOPNOTSUPP';
      expect(run(r, 'ext4').world.actors[0]?.regs.reg).toBe(want);
    },
  );
});

describe('seed 001 problem 8: vmsplice of a shared page, then unmap in the child (CVE-2020-29374)', () => {
  function leak(release: string, page: PageSpec, set: Record<string, string> = {}) {
    const prog = ioProgram({
      mappings: [anon('buf', page)],
      setup: [{ op: 'write', buf: 'buf', data: 'A' }],
      pipes: ['p'],
      agents: [],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'fork', child: 1 },
            { op: 'write', buf: 'buf', data: 'B' },
          ],
        },
        {
          process: 1,
          ops: [
            { op: 'vmsplice', buf: 'buf', pipe: 'p' },
            { op: 'munmap', buf: 'buf' },
            { op: 'pipe-read', pipe: 'p', reg: 'seen' },
          ],
        },
      ],
    });
    const p = profile(release, set);
    const fixed = runOrder(p, prog, [0, 1, 1, 0, 1]);
    const all = explore(p, prog);
    return { seen: fixed.world.actors[1]?.regs.seen, fixed, all };
  }
  const LEAKS = ['v4.19', 'v5.4'];
  it.each(LEAKS)('%s: the child reads the parent’s later write through the pipe', (r) => {
    const x = leak(r, { kind: 'base' });
    expect(x.seen).toBe('B');
    expect(x.fixed.violations.map((v) => v.invariant)).toContain('leak-across-fork');
  });
  it.each(RELEASES.filter((r) => !LEAKS.includes(r)))('%s: no leak with a base page', (r) => {
    const x = leak(r, { kind: 'base' });
    expect(x.seen).toBe('A');
    expect(x.all.violations.has('leak-across-fork')).toBe(false);
    expect([...x.all.violations.keys()]).toEqual([]);
  });
  it.each(RELEASES.filter((r) => r !== 'v5.8'))(
    '%s: still leaks with hugetlb (hugetlb_wp reuses by mapcount)',
    (r) => {
      const x = leak(r, HUGETLB_2M);
      expect(x.seen).toBe('B');
      expect(x.all.violations.has('leak-across-fork')).toBe(true);
    },
  );
  it('v5.8: no leak with hugetlb (GUP broke COW for every FOLL_GET)', () => {
    expect(leak('v5.8', HUGETLB_2M).seen).toBe('A');
  });
  it.each(['v6.2', 'v6.6', 'v6.12'])('%s with vmsplice.grab=pin (R/O pin unshares): no hugetlb leak', (r) => {
    const x = leak(r, HUGETLB_2M, { 'vmsplice.grab': 'pin' });
    expect(x.seen).toBe('A');
    expect(x.all.violations.has('leak-across-fork')).toBe(false);
  });
});

describe('pipes: splice to a file', () => {
  it.each(RELEASES)('%s: vmsplice then splice writes the page to the file and drops the reference', (r) => {
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'ext4', pages: ['0'] }],
      mappings: [anon('buf')],
      setup: [{ op: 'write', buf: 'buf', data: 'S' }],
      pipes: ['p'],
      agents: ['device', 'flusher'],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'vmsplice', buf: 'buf', pipe: 'p' },
            { op: 'splice', pipe: 'p', file: 'f', index: 0 },
            { op: 'pread', file: 'f', index: 0, reg: 'seen' },
          ],
        },
      ],
    });
    const x = explore(profile(r), prog);
    expect([...x.violations.keys()]).toEqual([]);
    for (const w of x.finals) {
      expect(w.files[0]?.disk[0]).toBe('S');
      expect(w.actors[0]?.regs.seen).toBe('S');
    }
  });
});

/** IORING_OP_READ_FIXED of g[0] into slot 0, its result in `as`. */
const readFixed = (as: string): Op => ({
  op: 'uring-rw',
  rw: 'read',
  index: 0,
  path: 'iomap',
  file: 'g',
  fileIndex: 0,
  as,
});

/** A file g on xfs holding "D", and buf (holding "A") registered in slot 0. */
const REGISTERED = {
  files: [{ name: 'g', fs: 'xfs' as const, pages: ['D'] }],
  mappings: [anon('buf')],
  setup: [
    { op: 'write', buf: 'buf', data: 'A' },
    { op: 'uring-register', buf: 'buf', index: 0, reg: 'reg' },
  ] satisfies Op[],
};

describe('unregistering a buffer while READ_FIXED is in flight (policy uring.unregisterInFlight)', () => {
  const program = ioProgram({
    ...REGISTERED,
    actors: [
      { process: 0, ops: [readFixed('r')] },
      {
        process: 0,
        ops: [
          { op: 'uring-unregister', index: 0 },
          { op: 'read', buf: 'buf', reg: 'seen' },
          { op: 'munmap', buf: 'buf' },
        ],
      },
    ],
  });
  // Up to v6.12 the rsrc quiesce makes the unregister wait for the read; later the request's node
  // reference keeps the buffer pinned, and the unregister returns before the DMA.
  const QUIESCE = URING.filter((r) => !releaseAtLeast(r, 'v6.13'));
  const NODE_REFS = URING.filter((r) => releaseAtLeast(r, 'v6.13'));
  it.each(URING)('%s: the pages stay pinned until the read is over: no use-after-free', (r) => {
    expect(explore(profile(r), program).violations.has('use-after-free')).toBe(false);
  });
  it.each(QUIESCE)('%s: the unregister returns only after the data arrived', (r) => {
    const finals = explore(profile(r), program).finals;
    const early = finals.filter((w) => w.actors[0]?.regs.r === '1' && w.actors[1]?.regs.seen !== 'D');
    expect(early).toEqual([]);
  });
  it.each(NODE_REFS)(
    '%s: the unregister returns at once, so a later read can still see the old data',
    (r) => {
      const finals = explore(profile(r), program).finals;
      expect(finals.some((w) => w.actors[0]?.regs.r === '1' && w.actors[1]?.regs.seen === 'A')).toBe(true);
    },
  );
});

/**
 * With the quiesce (the 5.10, 6.1 and 6.12 trees) io_sqe_buffers_unregister() hides the table before
 * it waits (nr_user_bufs = 0: 5.10.262 io_uring/io_uring.c:8804, 6.1.176 io_uring/rsrc.c:902,
 * 6.12.117 :787), so a READ_FIXED submitted while it waits fails with -EFAULT at once (5.10.262
 * io_uring/io_uring.c:3006, 6.1.176 io_uring/rw.c:91, 6.12.117 :347), while the first read is still in
 * flight; from the per-node rework the buffer leaves the table at once, with the same result.
 */
describe('a fixed request submitted while the unregister waits', () => {
  const program = ioProgram({
    ...REGISTERED,
    actors: [
      { process: 0, ops: [readFixed('r')] },
      { process: 0, ops: [{ op: 'uring-unregister', index: 0 }] },
      { process: 0, ops: [readFixed('r2'), { op: 'read', buf: 'buf', reg: 'seen' }] },
    ],
  });
  it.each(URING)('%s: fails with EFAULT while the first read is still in flight', (r) => {
    const e = explore(profile(r), program);
    // The first read succeeded, yet the second failed and then still read the old data.
    const early = e.finals.filter(
      (w) =>
        w.actors[0]?.regs.r === '1' && w.actors[2]?.regs.r2 === 'EFAULT' && w.actors[2]?.regs.seen === 'A',
    );
    expect(early.length).toBeGreaterThan(0);
    expect(e.violations.has('use-after-free')).toBe(false);
  });
  it.each(URING.filter((r) => !releaseAtLeast(r, 'v6.13')))(
    '%s: the unregister hides the slot first, then waits in io_rsrc_ref_quiesce()',
    (r) => {
      // T0 submits, T1 unregisters: the slot is hidden and still pinned, and T1 waits.
      const pol = profile(r).policies;
      let w = instantiate(program, pol);
      const fns: string[] = [];
      for (const actor of [0, 1]) {
        const t = enabledTransitions(program, pol, w).find((x) => x.actor === actor);
        if (t === undefined) throw new Error(`actor ${actor} not enabled`);
        const step = applyTransition(program, pol, w, t);
        fns.push(step.label.fn);
        w = step.world;
      }
      expect(fns).toEqual(['io_read', 'io_sqe_buffers_unregister']);
      expect(w.uring).toMatchObject([{ index: 0, users: 1, unregistered: true }]);
      expect(enabledTransitions(program, pol, w).some((t) => t.actor === 1)).toBe(false);
    },
  );
});
