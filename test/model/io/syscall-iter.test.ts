import { describe, expect, it } from 'vitest';
import { syscallIter } from '../../../src/model/lib/iov_iter.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { parseScenarios } from '../../../src/scenario/index.js';
import { runSuite } from '../../../src/suite/run.js';
import { profile } from '../harness.js';

/** A direct read that names no iterator type, sync (pread) or async (io_submit). */
function scenario(async: boolean): string {
  return `scenario dio-read-syscall-iter
intent: a direct read of one page into a user buffer, the iterator left to the system call
source: pinlab's tests
agent device
file f xfs = "D"
process P
  map buf anon private
thread T0 in P
  dio read iomap${async ? ' async' : ''} f[0] into buf as r
${async ? '  await r\n' : ''}  read buf -> x
exists (T0:r == "1" and T0:x == "D") as read
`;
}

describe('a dio op that names no iterator type builds what its system call builds (syscallIter)', () => {
  it.each(RELEASES)(
    '%s: pread: ITER_IOVEC before v6.0, ITER_UBUF from v6.0; io_submit: ITER_UBUF from v6.4',
    (r) => {
      const p = profile(r).policies;
      expect(syscallIter(p, false)).toBe(releaseAtLeast(r, 'v6.0') ? 'ubuf' : 'iovec');
      expect(syscallIter(p, true)).toBe(releaseAtLeast(r, 'v6.4') ? 'ubuf' : 'iovec');
    },
  );

  for (const async of [false, true]) {
    const parsed = parseScenarios(scenario(async), 't.pin');
    if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
    const s = parsed.scenarios[0];
    it.each(RELEASES)(`%s: runs and reads the data (async: ${async})`, (r) => {
      // Before: ITER_UBUF whatever the release, so n/a before v6.0 ("ITER_UBUF does not exist").
      const rows = runSuite([s], [profile(r)]);
      expect(rows.map((x) => [x.condition, x.verdict])).toEqual([['read', 'always']]);
    });
  }
});
