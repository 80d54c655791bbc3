import { describe, expect, it } from 'vitest';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import type { FileSpec, MappingSpec } from '../../../src/model/engine/program.js';
import { fileOf } from '../../../src/model/core/world.js';
import { HUGETLB, bench, fileMap } from '../builders.js';

const memfdMap = (name: string, shared: boolean): MappingSpec => fileMap(name, 0, shared, true, HUGETLB);
/** A hugetlbfs file (memfd MFD_HUGETLB) with no page yet: a hole. */
const HOLE: FileSpec = { name: 'm', fs: 'hugetlbfs', pages: [] };

// hugetlb_no_page(): !VM_MAYSHARE and no page in the cache -> anon_rmap, not hugetlb_add_to_page_cache()
// (the 5.10 tree's mm/hugetlb.c:4429/4443, 6.1 :5922/5943, 6.12 :6201/6221, 7.2 :5831): every release.
describe('hugetlbNoPage on a private mapping of a hugetlbfs hole', () => {
  it.each(RELEASES)('read fault maps a new anonymous page, not a page-cache page (%s)', (r) => {
    const b = bench(r, [memfdMap('priv', false)], [HOLE]);
    handleMmFault(b.ctx, b.w, b.at('priv'), 'read');
    const f = b.folio('priv');
    expect([f.owner.type, f.kind, f.data]).toEqual(['anon', 'hugetlb', '0']);
    expect(b.vma('priv').pte).toMatchObject({ writable: false, huge: true });
    expect(b.vma('priv').anonVma).toBe(true);
    expect(fileOf(b.w, 0).cache.filter((id) => id !== null)).toEqual([]);
  });
  it.each(RELEASES)('a later store through a shared mapping is not seen there (%s)', (r) => {
    const b = bench(r, [memfdMap('priv', false), memfdMap('shr', true)], [HOLE]);
    handleMmFault(b.ctx, b.w, b.at('priv'), 'read');
    handleMmFault(b.ctx, b.w, b.at('shr'), 'write');
    const shared = b.folio('shr');
    expect(shared.owner.type).toBe('file');
    expect(b.folio('priv').id).not.toBe(shared.id);
  });
  it.each(RELEASES)('write fault reuses that anonymous page (mapcount 1), no copy (%s)', (r) => {
    const b = bench(r, [memfdMap('priv', false)], [HOLE]);
    handleMmFault(b.ctx, b.w, b.at('priv'), 'write');
    const f = b.folio('priv');
    expect(f.owner.type).toBe('anon');
    expect(b.vma('priv').pte).toMatchObject({ writable: true });
    expect(b.w.folios.filter((x) => x.kind === 'hugetlb').length).toBe(1);
  });
  it.each(RELEASES)('a page already in the file is mapped from the page cache (%s)', (r) => {
    const b = bench(r, [memfdMap('priv', false)], [{ name: 'm', fs: 'hugetlbfs', pages: ['F'] }]);
    handleMmFault(b.ctx, b.w, b.at('priv'), 'read');
    expect(b.folio('priv')).toMatchObject({ owner: { type: 'file' }, data: 'F' });
    // fork shares it like any page-cache page: the child refaults or copies the same folio.
    const child = dupMm(b.ctx, b.w, 0);
    handleMmFault(b.ctx, b.w, b.at('priv', child), 'read');
    expect(b.folio('priv', child).id).toBe(b.folio('priv').id);
  });
});
