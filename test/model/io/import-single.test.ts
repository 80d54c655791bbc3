import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { anon, profile } from '../harness.js';
import { ioProgram, runOrder } from './io-harness.js';

/**
 * The iterator a system call builds over one user buffer (policy iov.importSingle): ITER_IOVEC
 * (iov_iter_init(): the 5.10 tree lib/iov_iter.c:1771 import_iovec, 1820 import_single_range; the 6.1
 * tree :1804, 1853) until "iov_iter: import single vector iovecs as ITER_UBUF" and "iov_iter: convert
 * import_single_range() to ITER_UBUF" (v6.4), ITER_UBUF since (the 6.12 tree :1454, the 7.2 tree :1372).
 * vmsplice (fs/splice.c vmsplice: import_iovec in all four trees), sendmsg (net/socket.c
 * ___sys_sendmsg: import_iovec) and SG_IO (blk_rq_map_user_io: import_iovec or import_ubuf) all take it.
 * Both are user-backed, so what is grabbed does not change: only the constructor the trace names.
 */
const OPS: readonly { name: string; op: Op; agents: ('device' | 'nic')[] }[] = [
  { name: 'vmsplice', op: { op: 'vmsplice', buf: 'buf', pipe: 'p' }, agents: [] },
  { name: 'sendmsg MSG_ZEROCOPY', op: { op: 'send', buf: 'buf', zerocopy: true, as: 'z' }, agents: ['nic'] },
  {
    name: 'SG_IO',
    op: { op: 'sg-io', rw: 'write', file: 'sda', index: 0, buf: 'buf', as: 'r' },
    agents: ['device'],
  },
];

describe('one user buffer: ITER_IOVEC, then ITER_UBUF from v6.4 (policy iov.importSingle)', () => {
  for (const { name, op, agents } of OPS)
    it.each(RELEASES)(`${name} on %s`, (r) => {
      const x = runOrder(
        profile(r),
        ioProgram({
          files: [{ name: 'sda', fs: 'bdev', pages: ['D'] }],
          mappings: [anon('buf')],
          setup: [{ op: 'write', buf: 'buf', data: 'A' }],
          actors: [{ process: 0, ops: [op] }],
          agents,
          pipes: ['p'],
        }),
        [0],
      );
      const calls = x.labels[0]?.calls ?? [];
      const ubuf = releaseAtLeast(r, 'v6.4');
      expect(calls).toContain(ubuf ? 'iov_iter_ubuf' : 'iov_iter_init');
      expect(calls).not.toContain(ubuf ? 'iov_iter_init' : 'iov_iter_ubuf');
      expect(x.violations).toEqual([]);
    });
});
