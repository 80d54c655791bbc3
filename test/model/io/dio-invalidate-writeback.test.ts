import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../../src/model/profile/profiles.js';
import { parseScenarios } from '../../../src/scenario/index.js';
import { runSuite } from '../../../src/suite/run.js';
import { profile } from '../harness.js';

/**
 * A direct write of "B" completes while T1's store of "C" through a shared mapping of the same page is
 * under writeback (T1's fsync). invalidate_inode_pages2_range() waits for that writeback (the 5.10
 * tree's mm/truncate.c:753, 6.1 :697, 6.12 :670, 7.2 :725) and then drops the now clean page, so the
 * read after the write sees what the disk holds.
 */
function scenario(path: 'iomap' | 'legacy', async: boolean): string {
  const fs = path === 'iomap' ? 'xfs' : 'vfat';
  const dio = `dio write ${path}${async ? ' async' : ''} iovec f[0] from buf as w`;
  return `scenario dio-write-invalidate-writeback
intent: a direct write completes while the page it wrote is under writeback
source: pinlab's tests
agent device
file f ${fs} = "A"
process P
  map m file f shared
  map buf anon private
setup
  T0: write buf "B"
thread T0 in P
  ${dio}
${async ? '  await w\n' : ''}  pread f[0] -> y
thread T1 in P
  write m "C"
  fsync f
exists (T0:y == "C" and disk:f[0] == "B") as stale
`;
}

describe('the invalidation after a direct write waits for writeback of the page', () => {
  for (const [path, async] of [
    ['iomap', false],
    ['iomap', true],
    ['legacy', false],
  ] as const) {
    const parsed = parseScenarios(scenario(path, async), 't.pin');
    if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
    const s = parsed.scenarios[0];
    it.each(KERNELS)(`%s: no stale page after the write (${path}, async: ${async})`, (k) => {
      // Before: the page under writeback was skipped, so the read after the write returned the stale
      // cached "C" while the disk held "B", and lost-write fired on a write nothing lost.
      const rows = runSuite([s], [profile(k)]);
      expect(rows.map((r) => [r.condition, r.verdict])).toEqual([['stale', 'never']]);
    });
  }
});
