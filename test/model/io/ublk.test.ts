import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { ublkOp } from '../../../src/model/ops/ublk.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import type { World } from '../../../src/model/core/world.js';
import type { Program } from '../../../src/model/engine/program.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';

/**
 * io_uring buffers registered by a kernel driver (v6.15, policy uring.kernelBuffers): a ublk
 * request's pages in the buffer table, released through ublk_io_release() when the buffer's node is
 * freed (the 7.2 tree's io_uring/rsrc.c:1018, 1081, 210 and drivers/block/ublk_drv.c:3180).
 */
const server = (ops: Op[]): Program =>
  ioProgram({
    files: [{ name: 'f', fs: 'xfs', pages: ['D'] }],
    mappings: [],
    actors: [
      { process: 0, ops: [{ op: 'kalloc', kind: 'page', as: 'rq' }, ...ops] },
      {
        process: 0,
        ops: [{ op: 'uring-rw', rw: 'read', index: 0, path: 'iomap', file: 'f', fileIndex: 0, as: 'r' }],
      },
    ],
    agents: ['device'],
  });

const REGISTER: Op = { op: 'ublk', action: 'register', dir: 'read', handle: 'rq', index: 0, reg: 'reg' };
const COMMIT: Op = { op: 'ublk', action: 'commit', handle: 'rq' };
const UNREGISTER: Op = { op: 'ublk', action: 'unregister', index: 0, reg: 'unreg' };

/** Run the program along `order` (actor indices; the device is the last actor) and return each World. */
function run(release: string, program: Program, order: readonly number[]): World[] {
  const p = profile(release);
  let w = instantiate(program, p.policies);
  const out = [w];
  for (const actor of order) {
    const t = enabledTransitions(program, p.policies, w).find((x) => x.actor === actor);
    if (t === undefined) throw new Error(`actor ${actor} not enabled`);
    w = applyTransition(program, p.policies, w, t).world;
    out.push(w);
  }
  return out;
}

const NEW = RELEASES.filter((r) => releaseAtLeast(r, 'v6.15'));

describe('a ublk request buffer registered in io_uring (policy uring.kernelBuffers)', () => {
  it.each(RELEASES)('%s: the ublk operations exist from v6.15', (r) => {
    const why = ublkOp.unavailable(profile(r).policies, COMMIT);
    expect(why === null).toBe(releaseAtLeast(r, 'v6.15'));
  });

  it.each(NEW)(
    '%s: commit and unregister under an in-flight READ_FIXED defer the request end to its release',
    (r) => {
      const program = server([REGISTER, COMMIT, UNREGISTER]);
      // kalloc, register; READ_FIXED submitted; commit, unregister; the device reads, completes; CQE.
      const ws = run(r, program, [0, 0, 1, 0, 0, 2, 2, 1]);
      const page = (w: World) => w.folios.find((f) => f.kind === 'small' && f.owner.type === 'none');
      const afterUnregister = ws[5] as World;
      expect(page(afterUnregister)?.freed).toBe(false);
      expect(afterUnregister.uring.map((u) => [u.unregistered, u.users, u.kbuf?.committed])).toEqual([
        [true, 1, true],
      ]);
      const end = ws[8] as World;
      expect(end.actors[1]?.regs.r).toBe('1');
      // The release ended the request: its pages are gone, nothing is left registered.
      expect(page(end)?.freed).toBe(true);
      expect(end.uring).toEqual([]);
      expect(end.actors[0]?.held.rq).toBeUndefined();
    },
  );

  it.each(NEW)('%s: without an in-flight request, unregistering releases at once and commit ends it', (r) => {
    const ws = run(r, server([REGISTER, UNREGISTER, COMMIT]), [0, 0, 0, 0]);
    const end = ws[4] as World;
    expect(end.uring).toEqual([]);
    expect(end.folios.filter((f) => f.kind === 'small').every((f) => f.freed)).toBe(true);
    expect(end.actors[0]?.regs.unreg).toBe('0');
  });

  it.each(NEW)('%s: every interleaving: no use-after-free, no leak, the slot is freed', (r) => {
    const e = explore(profile(r), server([REGISTER, COMMIT, UNREGISTER]));
    expect([...e.violations.keys()]).toEqual([]);
    for (const w of e.finals) expect(w.uring).toEqual([]);
    expect(new Set(e.finals.map((w) => w.actors[1]?.regs.r))).toEqual(new Set(['1', 'EFAULT']));
  });

  // imu->dir = 1 << rq_data_dir(rq) (the 7.2 tree's io_uring/rsrc.c:1067), checked by io_import_fixed()
  // (:1152): a ublk READ request's pages are filled by the server (READ_FIXED), a WRITE request's are
  // read from (WRITE_FIXED); the other way is -EFAULT and nothing touches the pages.
  it.each(NEW)('%s: a driver buffer takes fixed I/O only in its request direction', (r) => {
    for (const [dir, rw, want] of [
      ['read', 'read', '1'],
      ['write', 'read', 'EFAULT'],
      ['write', 'write', '1'],
      ['read', 'write', 'EFAULT'],
    ] as const) {
      const program = ioProgram({
        files: [{ name: 'f', fs: 'xfs', pages: ['D'] }],
        mappings: [],
        actors: [
          {
            process: 0,
            ops: [
              { op: 'kalloc', kind: 'page', as: 'rq' },
              { op: 'ublk', action: 'register', dir, handle: 'rq', index: 0, reg: 'reg' },
              { op: 'uring-rw', rw, index: 0, path: 'iomap', file: 'f', fileIndex: 0, as: 'r' },
              UNREGISTER,
              COMMIT,
            ],
          },
        ],
        agents: ['device'],
      });
      const e = explore(profile(r), program);
      expect([...e.violations.keys()]).toEqual([]);
      expect(e.finals.map((w) => w.actors[0]?.regs.r)).toEqual([want]);
    }
  });

  it.each(NEW)("%s: a user buffer is not a driver's: unregister-bvec refuses it (-EBUSY)", (r) => {
    const program = ioProgram({
      mappings: [anon('buf')],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'uring-register', buf: 'buf', index: 0, reg: 'reg' },
            UNREGISTER,
            { op: 'ublk', action: 'unregister', index: 1, reg: 'empty' },
          ],
        },
      ],
    });
    const end = run(r, program, [0, 0, 0]).at(-1) as World;
    expect(end.actors[0]?.regs.unreg).toBe('EBUSY');
    expect(end.actors[0]?.regs.empty).toBe('EINVAL');
  });
});
