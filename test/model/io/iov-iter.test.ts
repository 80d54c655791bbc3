import { describe, expect, it } from 'vitest';
import { EFAULT } from '../../../src/model/include/errno.js';
import {
  iovIterExtractPages,
  iovIterExtractWillPin,
  iovIterGetPages2,
  iovIterInit,
  iterUnavailable,
} from '../../../src/model/lib/iov_iter.js';
import { folioAlloc } from '../../../src/model/mm/folio.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { draftWorld } from '../../../src/model/core/cow.js';
import { newCtx } from '../../../src/model/core/ctx.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';

function kernelPage(release: string) {
  const p = profile(release);
  const w = draftWorld(instantiate(ioProgram({ mappings: [], actors: [] }), p.policies));
  const f = folioAlloc(w, 'vmalloc', 0, { type: 'none' }, '0');
  return { p, w, f, ctx: newCtx(p.policies) };
}

describe('seed 000/001 problem 4: KVEC from vmalloc memory', () => {
  it.each(RELEASES)('%s: iov_iter_get_pages2 refuses a KVEC with -EFAULT and takes nothing', (r) => {
    const { w, f, ctx } = kernelPage(r);
    const it = iovIterInit('kvec', true, [{ kind: 'page', folio: f.id }]);
    expect(iovIterGetPages2(ctx, w, it).ret).toBe(-EFAULT);
    expect(f.refcount).toBe(1);
  });
  // vmalloc pages are ordinary refcounted pages: get_page() on one is correct (5.10.262
  // lib/iov_iter.c:1340, 6.1.176 :1477, 6.12.117 :1194, 7.2.13 :1110 folio_get()), so no alarm.
  it.each(RELEASES)('%s: a BVEC over a vmalloc page gets an ordinary reference, no alarm', (r) => {
    const { w, f, ctx } = kernelPage(r);
    const it = iovIterInit('bvec', true, [{ kind: 'page', folio: f.id }]);
    expect(iovIterGetPages2(ctx, w, it).ret).toBe(1);
    expect(f.refcount).toBe(2);
    expect(ctx.events.filter((e) => e.type === 'counter-mismatch')).toEqual([]);
  });
  it.each(RELEASES)(
    '%s: iov_iter_extract_pages only lists KVEC pages (no ref, no pin, will_pin false)',
    (r) => {
      const { w, f, ctx } = kernelPage(r);
      const it = iovIterInit('kvec', true, [{ kind: 'page', folio: f.id }]);
      expect(iovIterExtractWillPin(it)).toBe(false);
      const x = iovIterExtractPages(ctx, w, it);
      expect(x).toEqual({ ret: 1, folios: [f.id], grab: 'none' });
      expect(f.refcount).toBe(1);
      expect(it.pos).toBe(1);
    },
  );
  it('iterator flavours per release', () => {
    expect(iterUnavailable(profile('v5.15').policies, 'ubuf')).not.toBeNull();
    expect(iterUnavailable(profile('v6.1').policies, 'ubuf')).toBeNull();
    expect(iterUnavailable(profile('v5.10').policies, 'xarray')).not.toBeNull();
    expect(iterUnavailable(profile('v5.15').policies, 'xarray')).toBeNull();
    expect(iterUnavailable(profile('v6.6').policies, 'folioq')).not.toBeNull();
    expect(iterUnavailable(profile('v6.12').policies, 'folioq')).toBeNull();
    expect(iterUnavailable(profile('v4.19').policies, 'discard')).not.toBeNull();
    expect(iterUnavailable(profile('v5.4').policies, 'discard')).toBeNull();
  });

  /** A kernel caller (kernel_read into a vmalloc buffer) doing O_DIRECT through a KVEC. */
  function kvecDio(release: string, path: 'iomap' | 'legacy' | 'blkdev') {
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'xfs', pages: ['D'] }],
      mappings: [],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'kalloc', kind: 'vmalloc', as: 'k' },
            {
              op: 'dio',
              rw: 'read',
              path,
              async: false,
              file: 'f',
              index: 0,
              iter: 'kvec',
              buf: 'k',
              as: 'r',
            },
            { op: 'peek', handle: 'k', reg: 'seen' },
            { op: 'release', handle: 'k', how: 'put' },
          ],
        },
      ],
    });
    return explore(profile(release), prog);
  }
  const OLD = ['v4.19', 'v5.4', 'v5.10', 'v5.15', 'v6.1', 'v6.2', 'v6.4'];
  const NEW = ['v6.5', 'v6.6', 'v6.12', 'v6.18'];
  for (const path of ['iomap', 'legacy', 'blkdev'] as const) {
    it.each(OLD)(`${path} on %s: the DIO fails with EFAULT (get_pages2 refuses KVEC)`, (r) => {
      const x = kvecDio(r, path);
      expect(x.finals.map((w) => w.actors[0]?.regs.r)).toEqual(['EFAULT']);
      expect([...x.violations.keys()]).toEqual([]);
    });
    it.each(NEW)(`${path} on %s: the pages are only listed; the read lands, nothing leaks`, (r) => {
      const x = kvecDio(r, path);
      expect(x.finals.map((w) => [w.actors[0]?.regs.r, w.actors[0]?.regs.seen])).toEqual([['1', 'D']]);
      expect([...x.violations.keys()]).toEqual([]);
    });
  }
});

describe("seed 004 problem 5: ITER_BVEC async: the owner must keep the pages until completion (Al Viro's rule)", () => {
  function bvecAsync(release: string, early: boolean) {
    const dio = {
      op: 'dio',
      rw: 'read',
      path: 'blkdev',
      async: true,
      file: 'f',
      index: 0,
      iter: 'bvec',
      buf: 'p',
      as: 'r',
    } as const;
    const release_ = { op: 'release', handle: 'p', how: 'put' } as const;
    const wait = { op: 'await', as: 'r' } as const;
    const prog = ioProgram({
      files: [{ name: 'f', fs: 'bdev', pages: ['D'] }],
      mappings: [],
      actors: [
        {
          process: 0,
          ops: [
            { op: 'kalloc', kind: 'page', as: 'p' },
            dio,
            ...(early ? [release_, wait] : [wait, release_]),
          ],
        },
      ],
    });
    return explore(profile(release), prog);
  }
  it('v4.19: the bio took its own references on BVEC pages, so an early release is harmless', () => {
    expect([...bvecAsync('v4.19', true).violations.keys()]).toEqual([]);
  });
  it.each(RELEASES.filter((r) => r !== 'v4.19'))(
    '%s: bio_iov_bvec_set takes no reference: releasing before completion is a use-after-free',
    (r) => {
      const x = bvecAsync(r, true);
      expect(x.violations.has('use-after-free')).toBe(true);
      expect(x.violations.get('use-after-free')?.trace.map((l) => l.fn)).toContain('dma-to-memory');
    },
  );
  it.each(RELEASES)('%s: holding the pages until the completion is clean', (r) => {
    expect([...bvecAsync(r, false).violations.keys()]).toEqual([]);
  });
});
