import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { THP_PMD, anon, profile } from '../harness.js';
import { ioProgram, runOrder } from './io-harness.js';

/** "block: Remove special-casing of compound pages" (v6.8): the bio dirtying helpers skipped THP/hugetlb pages. */
describe('bio dirtying of compound pages (bio.dirtyCompound)', () => {
  function dirtied(release: string): boolean | undefined {
    const prog = ioProgram({
      files: [{ name: 'g', fs: 'xfs', pages: ['D'] }],
      mappings: [anon('buf', THP_PMD)],
      setup: [{ op: 'write', buf: 'buf', data: 'A' }],
      actors: [
        {
          process: 0,
          ops: [
            {
              op: 'dio',
              rw: 'read',
              path: 'iomap',
              async: false,
              file: 'g',
              index: 0,
              iter: profile(release).policies['iov.ubuf'] === 'present' ? 'ubuf' : 'iovec',
              buf: 'buf',
              as: 'r',
            },
          ],
        },
      ],
    });
    const x = runOrder(profile(release), prog, []);
    expect(x.world.actors[0]?.regs.r).toBe('1');
    expect(x.violations).toEqual([]);
    const id = x.world.bios[0]?.bvecs[0]?.folio ?? -1;
    return x.world.folios[id]?.flags.dirty;
  }
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v6.8')))('%s: the THP is dirtied', (r) => {
    expect(dirtied(r)).toBe(true);
  });
  it.each(RELEASES.filter((r) => !releaseAtLeast(r, 'v6.8')))('%s: the THP is skipped (not dirtied)', (r) => {
    expect(dirtied(r)).toBe(false);
  });
  // Backported to the stable series: the 5.10.262 tree's block/bio.c (bio_set_pages_dirty, 1323;
  // bio_check_pages_dirty, 1370) and the 6.1.176 tree's (1421, 1469) test no compound page.
  it.each([
    ['v5.10', false],
    ['v5.10.y', true],
    ['v6.1', false],
    ['v6.1.y', true],
  ] as const)('%s: the THP is dirtied: %s (the series carry the backport)', (r, dirty) => {
    expect(dirtied(r)).toBe(dirty);
  });
});
