import { describe, expect, it } from 'vitest';
import { handleMmFault } from '../../../../src/model/mm/memory/fault.js';
import { shrinkFileFolio } from '../../../../src/model/mm/vmscan-file.js';
import { RELEASES } from '../../../../src/model/profile/profiles.js';
import { ownFile } from '../../../../src/model/core/cow.js';
import { anonMap, bench, fileMap, fileSpec } from '../../builders.js';

/**
 * handle_pte_fault(): a write on a writable entry dirties it (pte_mkdirty(): 5.10.262 mm/memory.c:4517,
 * 6.1.176 :5050, 6.12.117 :5808, 7.2.13 :6398), as the MMU does on a store that takes no fault. A
 * shared mapping of a shmem file gets a writable clean entry on a read fault (no write notification),
 * so the store is the only thing that tells reclaim the page was written: try_to_unmap() moves the
 * bit into the folio and shrink_folio_list() swaps it out instead of dropping it. The model left the
 * entry clean, and reclaim dropped the written page: a false [lost-write] on every release.
 */
describe('a store through a writable entry dirties it', () => {
  it.each(RELEASES)('shmem, shared, read fault then store then reclaim (%s)', (r) => {
    const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'shmem', 'A')]);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', writable: true, dirty: false });
    const f = b.folio('buf');
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', folio: f.id, writable: true, dirty: true });
    f.data = 'B';
    shrinkFileFolio(b.ctx, b.w, ownFile(b.w, 0), 0);
    expect(b.ctx.events.filter((e) => e.type === 'lost-write')).toEqual([]);
    const file = ownFile(b.w, 0);
    const cached = file.cache[0];
    // Either still cached (and dirty) or written out: the store's data survives.
    const kept = cached !== null && cached !== undefined ? b.w.folios[cached]?.data : file.disk[0];
    expect(kept).toBe('B');
  });
  it.each(RELEASES)('a private anonymous entry stays writable and dirty, the same folio (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    expect(b.vma('buf').pte).toMatchObject({ folio: f.id, writable: true, dirty: true });
    expect(b.ctx.calls).toEqual(['do_anonymous_page']);
  });
  it.each(RELEASES)('an unshare fault on a writable entry changes nothing (%s)', (r) => {
    const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'shmem', 'A')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const before = b.vma('buf').pte;
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'unshare')).toBe(0);
    expect(b.vma('buf').pte).toEqual(before);
    expect(b.ctx.calls).not.toContain('do_wp_page');
  });
});
