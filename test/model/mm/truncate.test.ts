import { describe, expect, it } from 'vitest';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import {
  invalidateInodePages2,
  truncatePagecache,
  truncatePagecacheRange,
} from '../../../src/model/mm/truncate.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { ownFile } from '../../../src/model/core/cow.js';
import { bench, fileMap, fileSpec } from '../builders.js';

// invalidate_inode_pages2_range() unmaps a mapped folio before it launders or invalidates it, dirty
// or not (the 5.10 tree's mm/truncate.c:756, 6.1 :700, 6.12 :673, 7.2 folio_unmap_invalidate() :631).
describe('invalidateInodePages2', () => {
  it.each(RELEASES)('unmaps a dirty folio and leaves it in the page cache (%s)', (r) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'read');
    const f = b.folio('map');
    setFolioFlag(f, 'dirty', true);
    const file = ownFile(b.w, 0);
    expect(invalidateInodePages2(b.ctx, b.w, file, 0)).toBe(null);
    expect(b.vma('map').pte.kind).toBe('none');
    expect(file.cache[0]).toBe(f.id);
    expect([f.flags.dirty, f.mapcount, f.refcount]).toEqual([true, 0, 1]);
  });
  it.each(RELEASES)('removes a clean mapped folio from the cache and every mapping (%s)', (r) => {
    const b = bench(r, [fileMap('map', 0, true)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'read');
    const f = b.folio('map');
    const file = ownFile(b.w, 0);
    expect(invalidateInodePages2(b.ctx, b.w, file, 0)).toBe(f.id);
    expect(b.vma('map').pte.kind).toBe('none');
    expect(file.cache[0]).toBe(null);
    expect(f.freed).toBe(true);
  });
});

// truncate_pagecache() unmaps with even_cows set (the 5.10 tree's mm/truncate.c:833, 6.1 :775, 6.12
// :751, 7.2 :797): a MAP_PRIVATE mapping's anonymous copy of a page past the new end goes too; a hole
// punch (truncate_pagecache_range(), even_cows clear) keeps it.
describe('truncatePagecache and private copies', () => {
  const privateCopy = (r: string) => {
    const b = bench(r, [fileMap('map', 0, false)], [fileSpec('f', 'ext4', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('map'), 'write');
    const copy = b.folio('map');
    expect(copy.owner.type).toBe('anon');
    return { b, copy };
  };
  it.each(RELEASES)('truncation zaps the private copy of a page past the end (%s)', (r) => {
    // Before: only page-cache folios were zapped, and the private copy stayed mapped.
    const { b, copy } = privateCopy(r);
    truncatePagecache(b.ctx, b.w, ownFile(b.w, 0), 0);
    expect(b.vma('map').pte.kind).toBe('none');
    expect(copy.freed).toBe(true);
  });
  it.each(RELEASES)('truncation zaps a swapped-out private copy too, freeing its slot (%s)', (r) => {
    const { b } = privateCopy(r);
    expect(pageoutVma(b.ctx, b.w, b.vma('map'))).toBe(true);
    expect(b.vma('map').pte.kind).toBe('swap');
    truncatePagecache(b.ctx, b.w, ownFile(b.w, 0), 0);
    expect([b.vma('map').pte.kind, b.w.swap[0]?.count]).toEqual(['none', 0]);
  });
  it.each(RELEASES)('a hole punch keeps the private copy (%s)', (r) => {
    const { b, copy } = privateCopy(r);
    truncatePagecacheRange(b.ctx, b.w, ownFile(b.w, 0), 0, 1);
    expect(b.folio('map').id).toBe(copy.id);
    expect(copy.freed).toBe(false);
  });
});
