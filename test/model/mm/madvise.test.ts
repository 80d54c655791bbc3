import { describe, expect, it } from 'vitest';
import { EINVAL } from '../../../src/model/include/errno.js';
import { madviseVmaBehavior } from '../../../src/model/mm/madvise.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { HUGETLB, anonMap, bench } from '../builders.js';

describe('MADV_DONTNEED on hugetlb (policy madvise.dontneedHugetlb)', () => {
  // The 5.10 tree refuses (can_madv_lru_vma(), mm/madvise.c:777); the 6.1, 6.12 and 7.2 trees zap
  // (madvise_dontneed_free_valid_vma()); "mm: enable MADV_DONTNEED for hugetlb mappings" is v5.18.
  it.each(RELEASES)('%s', (r) => {
    const b = bench(r, [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    const ret = madviseVmaBehavior(b.ctx, b.w, b.at('buf'), 'dontneed');
    if (releaseAtLeast(r, 'v5.18')) {
      expect(ret).toBe(0);
      expect(b.vma('buf').pte.kind).toBe('none');
      expect(f.freed).toBe(true);
    } else {
      expect(ret).toBe(-EINVAL);
      expect(b.vma('buf').pte).toMatchObject({ kind: 'present', folio: f.id });
      expect([f.freed, f.mapcount]).toEqual([false, 1]);
    }
  });
  it.each(RELEASES)('zaps a base page on every release (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(madviseVmaBehavior(b.ctx, b.w, b.at('buf'), 'dontneed')).toBe(0);
    expect(b.vma('buf').pte.kind).toBe('none');
  });
  it('names the release and commit in the profile', async () => {
    const { POLICIES } = await import('../../../src/model/profile/policies/index.js');
    const h = POLICIES['madvise.dontneedHugetlb'].history;
    expect(h.map((c) => [c.since, c.value])).toEqual([
      ['v4.19', 'einval'],
      ['v5.18', 'zap'],
    ]);
    expect(h[1]?.commit).toMatch(/^mm: enable MADV_DONTNEED for hugetlb mappings/);
  });
});
