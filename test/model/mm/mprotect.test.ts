import { describe, expect, it } from 'vitest';
import { EACCES } from '../../../src/model/include/errno.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { mprotectFixup } from '../../../src/model/mm/mprotect.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';
import { mkPte } from '../../../src/model/mm/pgtable.js';
import { anonMap, bench, fileMap, fileSpec } from '../builders.js';

describe('mprotectFixup', () => {
  it('write-protects the entry when PROT_WRITE is removed', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(mprotectFixup(b.ctx, b.w, b.at('buf'), true, false)).toBe(0);
    expect(b.vma('buf').write).toBe(false);
    expect(b.vma('buf').pte).toMatchObject({ writable: false, dirty: true });
  });
  it.each(RELEASES)(
    'maps an exclusive anon page writable again at once per mprotect.writeUpgrade (%s)',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
      mprotectFixup(b.ctx, b.w, b.at('buf'), true, false);
      mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
      // Needs both the policy and PageAnonExclusive (v5.19), which the policy postdates.
      // The entry is dirty (written), so v6.0's dirty-only rule upgrades it too.
      const upgrade = b.policies['mprotect.writeUpgrade'] !== 'off';
      expect(b.vma('buf').pte).toMatchObject({ writable: upgrade });
    },
  );
  it('keeps a page shared with a child read-only when PROT_WRITE comes back', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    dupMm(b.ctx, b.w, 0);
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, false);
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('keeps the zero page read-only when PROT_WRITE comes back', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('maps a shared shmem page writable, and a shared ext4 page only when its entry is dirty', () => {
    const shm = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    handleMmFault(shm.ctx, shm.w, shm.at('buf'), 'read');
    mprotectFixup(shm.ctx, shm.w, shm.at('buf'), true, false);
    mprotectFixup(shm.ctx, shm.w, shm.at('buf'), true, true);
    expect(shm.vma('buf').pte).toMatchObject({ writable: true });
    const ext4 = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    handleMmFault(ext4.ctx, ext4.w, ext4.at('buf'), 'read');
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, true);
    expect(ext4.vma('buf').pte).toMatchObject({ writable: false });
    handleMmFault(ext4.ctx, ext4.w, ext4.at('buf'), 'write');
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, false);
    mprotectFixup(ext4.ctx, ext4.w, ext4.at('buf'), true, true);
    expect(ext4.vma('buf').pte).toMatchObject({ writable: true });
  });
  it('refuses PROT_WRITE on a mapping without VM_MAYWRITE with -EACCES', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    Object.assign(b.vma('buf'), { mayWrite: false });
    expect(mprotectFixup(b.ctx, b.w, b.at('buf'), true, true)).toBe(-EACCES);
  });
  // A clean exclusive entry: the 6.1 tree's can_change_pte_writable() returns false on !pte_dirty()
  // (mm/mprotect.c:49); "mm/mprotect: allow clean exclusive anon pages to be writable" (v6.2) drops that;
  // the 5.10 tree upgrades no private entry.
  it.each(RELEASES)('maps a clean exclusive anon entry writable from v6.2 only (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    setFolioFlag(f, 'anonExclusive', true);
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, false);
    b.vma('buf').pte = mkPte(f.id, { writable: false, dirty: false, huge: false });
    mprotectFixup(b.ctx, b.w, b.at('buf'), true, true);
    expect(b.vma('buf').pte).toMatchObject({ writable: releaseAtLeast(r, 'v6.2') });
  });
});
