import { describe, expect, it } from 'vitest';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { filemapGetFolio } from '../../../src/model/mm/filemap.js';
import { hasWritepage, shrinkFileFolio } from '../../../src/model/mm/vmscan-file.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import type { MappingSpec } from '../../../src/model/engine/program.js';
import { ownFile } from '../../../src/model/core/cow.js';
import { HUGETLB, bench, fileSpec, fileMap } from '../builders.js';

const hugetlbMap = (name: string, shared: boolean): MappingSpec => fileMap(name, 0, shared, true, HUGETLB);

/**
 * Reclaim never sees a hugetlb folio: the hugetlbfs page cache takes it without an LRU list (5.10.262
 * mm/hugetlb.c:4316 add_to_page_cache(), not add_to_page_cache_lru(); 6.1.176 :5758, 6.12.117 :6052 and
 * 7.2.13 :5683 __filemap_add_folio(), not filemap_add_folio()), and shrink_folio_list() only gets
 * folios isolated from an LRU list (isolate_lru_pages(), 5.10 mm/vmscan.c:1660; isolate_lru_folios(),
 * 6.1 :2201, 6.12 :1672, 7.2 :1677). The model freed the written huge page and reported a false
 * [lost-write] on every release.
 */
describe('reclaim leaves a hugetlbfs folio alone', () => {
  it.each(RELEASES)('shared mapping: read, store, reclaim keeps the page mapped and cached (%s)', (r) => {
    const b = bench(r, [hugetlbMap('buf', true)], [fileSpec('f', 'hugetlbfs', 'A')]);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    const f = b.folio('buf');
    f.data = 'B';
    const before = { ...f, flags: { ...f.flags } };
    const file = ownFile(b.w, 0);
    expect(shrinkFileFolio(b.ctx, b.w, file, 0)).toBe('not-lru');
    expect(b.ctx.events.filter((e) => e.type === 'lost-write')).toEqual([]);
    expect(b.ctx.calls).not.toContain('shrink_folio_list');
    expect(b.vma('buf').pte).toMatchObject({ kind: 'present', folio: f.id });
    expect(file.cache[0]).toBe(f.id);
    expect(b.w.folios[f.id]).toEqual(before);
  });
  it.each(RELEASES)('an unmapped page-cache page stays too, with its data (%s)', (r) => {
    const b = bench(r, [], [fileSpec('f', 'hugetlbfs', 'A')]);
    const file = ownFile(b.w, 0);
    const f = filemapGetFolio(b.w, file, 0, 9);
    f.data = 'B';
    expect(f.kind).toBe('hugetlb');
    expect(shrinkFileFolio(b.ctx, b.w, file, 0)).toBe('not-lru');
    expect([file.cache[0], f.freed, f.data]).toEqual([f.id, false, 'B']);
    expect(b.ctx.events).toEqual([]);
  });
  it.each(RELEASES)('hugetlbfs has no ->writepage, shmem has (%s)', (r) => {
    // hugetlbfs_aops: 5.10 fs/hugetlbfs/inode.c:1164, 6.1 :1284, 6.12 :1280, 7.2 :1192.
    const b = bench(r, []);
    expect([hasWritepage(b.ctx, 'hugetlbfs'), hasWritepage(b.ctx, 'shmem')]).toEqual([false, true]);
  });
});
