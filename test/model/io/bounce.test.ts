import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import type { World } from '../../../src/model/core/world.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';

/**
 * IOMAP_DIO_BOUNCE (v7.0, policy dio.bounceStable): XFS direct I/O on a mapping with stable writes
 * goes through bounce folios the bio owns (block/bio.c:bio_iov_iter_bounce in the 7.2 tree).
 */
const BEFORE = RELEASES.filter((r) => !releaseAtLeast(r, 'v7.0'));
const BOUNCE = RELEASES.filter((r) => releaseAtLeast(r, 'v7.0'));

function dio(rw: 'read' | 'write', iter: 'iovec' | 'kvec' = 'iovec'): Op {
  return { op: 'dio', rw, path: 'iomap', async: false, file: 'x', index: 0, iter, buf: 'buf', as: 'r' };
}

/** T0 writes x[0] from buf with O_DIRECT and reads it back; T1 stores "C" to buf meanwhile. */
const racingWrite = (stableWrites: boolean) =>
  ioProgram({
    files: [{ name: 'x', fs: 'xfs', pages: ['A'], integrity: true, stableWrites }],
    mappings: [anon('buf')],
    setup: [{ op: 'write', buf: 'buf', data: 'B' }],
    actors: [
      { process: 0, ops: [dio('write'), { op: 'pread', file: 'x', index: 0, reg: 'seen' }] },
      { process: 0, ops: [{ op: 'write', buf: 'buf', data: 'C' }] },
    ],
  });

/** The state right after T0's first step (the submission), everything else still waiting. */
function afterSubmit(release: string, program: ReturnType<typeof ioProgram>): World {
  const p = profile(release);
  const w = instantiate(program, p.policies);
  const t = enabledTransitions(program, p.policies, w).find((x) => x.actor === 0);
  if (t === undefined) throw new Error('T0 cannot start');
  return applyTransition(program, p.policies, w, t).world;
}

function bufFolio(w: World): number {
  const pte = w.mms[0]?.vmas[0]?.pte;
  if (pte?.kind !== 'present') throw new Error('buf is not mapped');
  return pte.folio;
}

describe('a direct write from a buffer that changes in flight, XFS with integrity', () => {
  it.each(BEFORE)('%s: the guard check can fail the write (the user page goes to the device)', (r) => {
    const e = explore(profile(r), racingWrite(true));
    expect(e.finals.some((w) => w.actors[0]?.regs.r === 'EIO')).toBe(true);
    expect(e.violations.has('stable-page-violation')).toBe(true);
  });
  it.each(BOUNCE)('%s: the bounce copy is what the device reads: the write never fails', (r) => {
    const e = explore(profile(r), racingWrite(true));
    expect(e.finals.every((w) => w.actors[0]?.regs.r === '1')).toBe(true);
    expect([...e.violations.keys()]).toEqual([]);
    // What is stored is the buffer at submission ("B") or after the store ("C"), both reachable.
    expect(new Set(e.finals.map((w) => w.actors[0]?.regs.seen))).toEqual(new Set(['B', 'C']));
  });
  it.each(BOUNCE)('%s: without stable writes there is no bounce and the guard can fail', (r) => {
    expect(explore(profile(r), racingWrite(false)).finals.some((w) => w.actors[0]?.regs.r === 'EIO')).toBe(
      true,
    );
  });
  it.each(BOUNCE)('%s: dio.bounceStable=none gives back the user-page verdict', (r) => {
    const e = explore(profile(r, { 'dio.bounceStable': 'none' }), racingWrite(true));
    expect(e.violations.has('stable-page-violation')).toBe(true);
  });
  it.each(RELEASES)('%s: at submission the user page is grabbed only without a bounce', (r) => {
    const w = afterSubmit(r, racingWrite(true));
    const user = w.folios[bufFolio(w)];
    const grabbed = (user?.refcount ?? 0) > 1;
    expect(grabbed).toBe(!releaseAtLeast(r, 'v7.0'));
    const bio = w.bios[0];
    expect(bio?.endIo).toBe(releaseAtLeast(r, 'v7.0') ? 'iomap-bounce' : 'iomap');
    if (releaseAtLeast(r, 'v7.0')) {
      // bio_iov_iter_bounce_write: a new folio the bio owns, holding the copy.
      const bounce = w.folios[bio?.bvecs[0]?.folio ?? -1];
      expect(bounce?.owner.type).toBe('none');
      expect(bounce?.data).toBe('B');
      expect(bounce?.refcount).toBe(1);
    }
  });
});

/** T0 reads x[0] into buf with O_DIRECT; T1 forks and stores to buf while it is in flight. */
const forkRace = ioProgram({
  files: [{ name: 'x', fs: 'xfs', pages: ['D'], integrity: true }],
  mappings: [anon('buf')],
  setup: [{ op: 'write', buf: 'buf', data: 'A' }],
  actors: [
    { process: 0, ops: [dio('read')] },
    {
      process: 0,
      ops: [
        { op: 'fork', child: 1 },
        { op: 'touch', buf: 'buf' },
      ],
    },
  ],
});

describe('a direct read racing fork, XFS with integrity', () => {
  it.each(BOUNCE)('%s: the bounce read pins the user page and the copy lands in the parent', (r) => {
    const w = afterSubmit(r, forkRace);
    const bio = w.bios[0];
    expect(bio?.flags.pagePinned).toBe(true);
    expect(bio?.bounced.map((b) => b.folio)).toEqual([bufFolio(w)]);
    expect(bio?.bvecs[0]?.folio).not.toBe(bufFolio(w));
    const e = explore(profile(r), forkRace);
    expect([...e.violations.keys()]).toEqual([]);
    expect(e.finals.every((f) => f.actors[0]?.regs.r === '1')).toBe(true);
  });
  it.each(BOUNCE)('%s: the bounce extracts (pins) even under the what-if dio.extract=get', (r) => {
    expect(explore(profile(r, { 'dio.extract': 'get' }), forkRace).violations.has('lost-dio-data')).toBe(
      false,
    );
    expect(
      explore(profile(r, { 'dio.extract': 'get', 'dio.bounceStable': 'none' }), forkRace).violations.has(
        'lost-dio-data',
      ),
    ).toBe(true);
  });
  it.each(BEFORE)('%s: the user page goes to the device (no bounce folio)', (r) => {
    const w = afterSubmit(r, forkRace);
    expect(w.bios[0]?.bounced).toEqual([]);
    expect(w.bios[0]?.bvecs[0]?.folio).toBe(bufFolio(w));
  });
});

describe('a bounced read into a kernel page (ITER_KVEC)', () => {
  const kvecRead = ioProgram({
    files: [{ name: 'x', fs: 'xfs', pages: ['D'], integrity: true }],
    mappings: [],
    actors: [
      {
        process: 0,
        ops: [
          { op: 'kalloc', kind: 'vmalloc', as: 'buf' },
          dio('read', 'kvec'),
          { op: 'peek', handle: 'buf', reg: 'seen' },
          { op: 'release', handle: 'buf', how: 'put' },
        ],
      },
    ],
  });
  it.each(BOUNCE)('%s: the page is listed, not pinned, and gets the copy', (r) => {
    const e = explore(profile(r), kvecRead);
    expect([...e.violations.keys()]).toEqual([]);
    expect(e.finals.map((w) => w.actors[0]?.regs.seen)).toEqual(['D']);
    expect(e.finals.every((w) => w.bios.every((b) => !b.flags.pagePinned))).toBe(true);
  });
});
