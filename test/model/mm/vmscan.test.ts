import { describe, expect, it } from 'vitest';
import { FOLL_GET, FOLL_WRITE } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { pinUserPages, tryGrabFolio } from '../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { shrinkFileFolio } from '../../../src/model/mm/vmscan-file.js';
import { writebackFolioNow } from '../../../src/model/mm/page-writeback.js';
import { ownFile } from '../../../src/model/core/cow.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { HUGETLB, anonMap, bench, fileMap, fileSpec } from '../builders.js';
import { opDef, type Op } from '../../../src/model/ops/index.js';
import { profile } from '../harness.js';

describe('pageoutVma', () => {
  it('swaps out an anon page mapped once and frees it', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    f.data = 'A';
    expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(true);
    expect(f.freed).toBe(true);
    expect(b.w.swap[0]).toMatchObject({ data: 'A', count: 1, cache: null });
  });
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v5.8')))(
    'refuses a pinned anon page from v5.11 ("mm: don\'t put pinned pages into the swap cache") (%s)',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE);
      expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(!releaseAtLeast(r, 'v5.11'));
    },
  );
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v5.11')))(
    'with reclaim.pinnedAnon=swap only try_to_unmap() refuses it, from v5.19 (%s)',
    (r) => {
      const b = bench(r, [anonMap('buf')], [], { 'reclaim.pinnedAnon': 'swap' });
      pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE);
      expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(!releaseAtLeast(r, 'v5.19'));
    },
  );
  it.each([
    ['v5.10', true],
    ['v5.10.y', false],
  ] as const)(
    '%s: pages out a pinned anon page: %s (the 5.10.262 tree keeps it, mm/vmscan.c:1253)',
    (k, swapped) => {
      const b = bench(k, [anonMap('buf')]);
      pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE);
      expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(swapped);
    },
  );
  it('keeps a folio with an extra reference in the swap cache', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(true);
    expect([f.freed, f.flags.swapcache, f.refcount, f.mapcount]).toEqual([false, true, 2, 0]);
    expect(b.w.swap[0]?.cache).toBe(f.id);
  });
  it('leaves a page shared with a child, a page-cache page, the zero page and hugetlb alone', () => {
    const shared = bench('v6.6', [anonMap('buf')]);
    handleMmFault(shared.ctx, shared.w, shared.at('buf'), 'write');
    dupMm(shared.ctx, shared.w, 0);
    expect(pageoutVma(shared.ctx, shared.w, shared.vma('buf'))).toBe(false);
    const file = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4')]);
    handleMmFault(file.ctx, file.w, file.at('buf'), 'read');
    expect(pageoutVma(file.ctx, file.w, file.vma('buf'))).toBe(false);
    const zero = bench('v6.6', [anonMap('buf')]);
    handleMmFault(zero.ctx, zero.w, zero.at('buf'), 'read');
    expect(pageoutVma(zero.ctx, zero.w, zero.vma('buf'))).toBe(false);
    const huge = bench('v6.6', [anonMap('buf', HUGETLB)]);
    handleMmFault(huge.ctx, huge.w, huge.at('buf'), 'write');
    expect(pageoutVma(huge.ctx, huge.w, huge.vma('buf'))).toBe(false);
  });
});

describe('shrinkFileFolio: a clean page-cache folio held by GUP', () => {
  // A MAP_SHARED ext4 page written and cleaned by writeback (buffers kept), held by a pin (or a FOLL_GET
  // reference), then reclaimed.
  function reclaimHeld(r: string, mode: 'pin' | 'get') {
    const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    writebackFolioNow(b.ctx, b.w, f);
    if (mode === 'pin') pinUserPages(b.ctx, b.w, b.at('buf'), 0);
    else tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    const result = shrinkFileFolio(b.ctx, b.w, ownFile(b.w, 0), 0);
    return { result, buffers: f.flags.buffers, mapped: b.vma('buf').pte.kind === 'present' };
  }
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v5.8')))(
    '%s: a pinned folio is unmapped, then keeps its buffers from v6.4 ("mm: do not reclaim private data from pinned page")',
    (r) => {
      const kept = releaseAtLeast(r, 'v6.4');
      expect(reclaimHeld(r, 'pin')).toEqual({
        result: kept ? 'kept-pinned' : 'kept-referenced',
        buffers: kept,
        mapped: false,
      });
    },
  );
  it.each([
    ['v6.1', 'kept-referenced'],
    ['v6.1.y', 'kept-pinned'],
  ] as const)(
    '%s: a pinned folio: %s (the 6.1.176 tree has the v6.4 test, mm/vmscan.c:1904)',
    (k, result) => {
      expect(reclaimHeld(k, 'pin')).toEqual({ result, buffers: result === 'kept-pinned', mapped: false });
    },
  );
  it.each(RELEASES)('%s: a FOLL_GET reference is not a pin: the buffers go', (r) => {
    expect(reclaimHeld(r, 'get')).toEqual({ result: 'kept-referenced', buffers: false, mapped: false });
  });
});

describe('MADV_PAGEOUT exists from v5.4 (policy madvise.pageout)', () => {
  const pageout: Op = { op: 'madvise', buf: 'buf', advice: 'pageout' };
  it.each(RELEASES)('%s', (r) => {
    const why = opDef(pageout).unavailable(profile(r).policies, pageout);
    expect(why === null).toBe(releaseAtLeast(r, 'v5.4'));
  });
});
