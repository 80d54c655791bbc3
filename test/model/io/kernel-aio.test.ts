import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import type { KernelAioOp } from '../../../src/model/ops/kernel-aio.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { op, profile } from '../harness.js';
import { explore, ioProgram, runOrder } from './io-harness.js';

const kalloc: Op = { op: 'kalloc', kind: 'page', as: 'p' };
const aio = (driver: KernelAioOp['driver'], rw: KernelAioOp['rw'], async: boolean): KernelAioOp => ({
  op: 'kernel-aio',
  driver,
  rw,
  async,
  file: 'f',
  index: 0,
  handle: 'p',
  as: 'r',
});

function prog(ops: Op[], fs: 'xfs' | 'bdev' = 'xfs') {
  return ioProgram({
    files: [{ name: 'f', fs, pages: ['D'] }],
    mappings: [],
    actors: [{ process: 0, ops }],
    agents: ['device'],
  });
}

const FROM_V5_4 = RELEASES.filter((r) => r !== 'v4.19');

describe.each(['loop', 'lio'] as const)(
  '%s: an ITER_BVEC backend I/O that outlives its iterator',
  (driver) => {
    it.each(RELEASES)(
      '%s: the owner holding its page until the completion: the data arrives, nothing leaks',
      (r) => {
        const x = runOrder(
          profile(r),
          prog([kalloc, aio(driver, 'read', false), op.peek('p', 'seen'), op.put('p')]),
          [],
        );
        expect(x.world.actors[0]?.regs).toMatchObject({ r: '1', seen: 'D' });
        expect(x.violations).toEqual([]);
        const fns = x.labels.map((l) => l.fn);
        expect(fns).toContain(driver === 'loop' ? 'lo_rw_aio_complete' : 'target_complete_cmd');
        expect(x.labels.flatMap((l) => l.calls)).toContain(
          driver === 'loop' ? 'lo_rw_aio' : 'fd_execute_rw_aio',
        );
      },
    );
    it.each(FROM_V5_4)('%s: the owner releasing before the completion: the DMA touches a freed page', (r) => {
      const e = explore(
        profile(r),
        prog([kalloc, aio(driver, 'read', true), op.put('p'), { op: 'await', as: 'r' }]),
      );
      expect(e.violations.get('use-after-free')?.v.invariant).toBe('use-after-free');
    });
    it('v4.19: bio_iov_iter_get_pages() still referenced BVEC pages: the early release is harmless', () => {
      const e = explore(
        profile('v4.19'),
        prog([kalloc, aio(driver, 'read', true), op.put('p'), { op: 'await', as: 'r' }]),
      );
      expect([...e.violations.keys()]).toEqual([]);
    });
    it('the synchronous form waits: its completion step is not enabled before the device completed', () => {
      expect(() => runOrder(profile('v6.12'), prog([kalloc, aio(driver, 'read', false)]), [0, 0, 0])).toThrow(
        /not enabled/,
      );
    });
    it('a write sends the owner page to the backing file; a block-device backing file goes through block/fops.c', () => {
      const write: Op[] = [kalloc, aio(driver, 'write', false), op.put('p')];
      const x = runOrder(profile('v6.12'), prog(write, 'bdev'), []);
      expect(x.world.files[0]?.disk[0]).toBe('0');
      expect(x.labels.flatMap((l) => l.calls)).toContain('vfs_iocb_iter_write');
      expect(x.world.dios[0]?.path).toBe('blkdev');
    });
    it('a missing handle fails with EFAULT', () => {
      const x = runOrder(profile('v6.12'), prog([aio(driver, 'read', false)]), []);
      expect(x.world.actors[0]?.regs.r).toBe('EFAULT');
    });
  },
);
