import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { anon, profile } from '../harness.js';
import { ioProgram, runOrder } from './io-harness.js';

const URING = RELEASES.filter((r) => r !== 'v4.19');

/** Register `buf` at `slot`, then unregister it; the registration's result and the folio's counters. */
function register(kernel: string, slot: number) {
  const prog = ioProgram({
    mappings: [anon('buf')],
    actors: [
      {
        process: 0,
        ops: [
          { op: 'write', buf: 'buf', data: 'A' },
          { op: 'uring-register', buf: 'buf', index: slot, reg: 'reg' },
        ],
      },
    ],
  });
  const x = runOrder(profile(kernel), prog, []);
  const page = x.world.folios.find((f) => f.kind === 'small' && !f.freed);
  return { reg: x.world.actors[0]?.regs.reg, page, uring: x.world.uring, violations: x.violations };
}

/**
 * The buffer table's size limit (policy uring.maxBuffers): nr_args > UIO_MAXIOV (1024) until
 * "io_uring: increase max number of reg buffers" (v5.13-rc2, so v5.13), IORING_MAX_REG_BUFFERS (16384) since: the
 * 5.10.262 tree (the 5.15 io_uring backport) io_uring/io_uring.c:104 and 9049, 6.1.176 io_uring/rsrc.c:34
 * and 1119, 6.12.117 :36 and 1047, 7.2.13 :80 and 962.
 */
describe('io_uring registered-buffer slots (policy uring.maxBuffers)', () => {
  it.each(URING)('%s: slot 1023 (a table of 1024) registers', (r) => {
    expect(register(r, 1023).reg).toBe('0');
  });
  it.each(URING)('%s: slot 1024 needs a table of 1025: EINVAL before v5.13, nothing pinned', (r) => {
    const x = register(r, 1024);
    const old = !releaseAtLeast(r, 'v5.13');
    expect(x.reg).toBe(old ? 'EINVAL' : '0');
    expect(x.uring.length).toBe(old ? 0 : 1);
    if (old) expect([x.page?.refcount, x.page?.pincount]).toEqual([1, 0]);
  });
  it.each(URING)('%s: slot 16383 is the last one any release takes', (r) => {
    expect(register(r, 16383).reg).toBe(releaseAtLeast(r, 'v5.13') ? '0' : 'EINVAL');
  });
  it('v5.10.y carries the 5.15 io_uring: slot 1024 registers there, not on v5.10', () => {
    expect(register('v5.10', 1024).reg).toBe('EINVAL');
    expect(register('v5.10.y', 1024).reg).toBe('0');
  });
});

/**
 * Before FOLL_PIN (v5.2 to v5.5) io_sqe_buffer_register() called get_user_pages(FOLL_WRITE |
 * FOLL_LONGTERM): a longterm reference, accepted since get_user_pages() took FOLL_LONGTERM itself then.
 * From v5.6 pin_user_pages() with the same flags (the 5.10.262 tree's io_uring/io_uring.c:8945, 6.1.176
 * io_uring/rsrc.c:1001, 6.12.117 io_uring/memmap.c:155 and 7.2.13 :78, pin_user_pages_fast()).
 */
describe('io_sqe_buffer_register: FOLL_LONGTERM with a reference before FOLL_PIN', () => {
  it.each(URING)('%s: a reference before pins exist, a pin after', (r) => {
    const x = register(r, 0);
    expect(x.reg).toBe('0');
    expect(x.violations).toEqual([]);
    const pinned = releaseAtLeast(r, 'v5.7');
    expect(x.uring.map((u) => u.grab)).toEqual([pinned ? 'pin' : 'ref']);
    expect([x.page?.refcount, x.page?.pincount]).toEqual(pinned ? [1025, 0] : [2, 0]);
  });
});
