import { describe, expect, it } from 'vitest';
import { FOLL_GET } from '../../../../src/model/include/foll.js';
import { handleMmFault } from '../../../../src/model/mm/memory/fault.js';
import { tryGrabFolio } from '../../../../src/model/mm/gup.js';
import { pageoutVma } from '../../../../src/model/mm/vmscan.js';
import { dupMm } from '../../../../src/model/kernel/fork.js';
import { RELEASES } from '../../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../../src/model/profile/release.js';
import { folioOf } from '../../../../src/model/core/world.js';
import { HUGETLB, THP, anonMap, bench, fileMap, fileSpec } from '../../builders.js';
import { VM_FAULT_SIGSEGV, setFolioFlag } from '../../../../src/model/include/mm_types.js';

const AE = (r: string): boolean => releaseAtLeast(r as `v${number}.${number}`, 'v5.19');

describe('handleMmFault', () => {
  it('maps the shared zero page read-only on a read fault of private anonymous memory', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(0);
    const pte = b.vma('buf').pte;
    expect(pte).toMatchObject({ kind: 'present', folio: b.w.zeroPage, writable: false });
    expect(folioOf(b.w, b.w.zeroPage).refcount).toBe(1);
    expect(b.ctx.calls).toEqual(['do_anonymous_page']);
  });
  it('maps the huge zero page with a PMD on a read fault of a THP area', () => {
    const b = bench('v6.6', [anonMap('buf', THP)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(b.vma('buf').pte).toMatchObject({ folio: b.w.hugeZeroPage, huge: true });
  });
  it.each(RELEASES)('maps a new exclusive page writable and dirty on a write fault (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: true });
    expect([f.refcount, f.mapcount, f.kind]).toEqual([1, 1, 'small']);
    expect(f.flags.anonExclusive).toBe(AE(r));
  });
  it('copies the zero page into a new writable page on a write after a read fault', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.folio('buf').kind).toBe('small');
    expect(b.vma('buf').pte).toMatchObject({ writable: true });
    expect(b.ctx.calls).toEqual(['do_anonymous_page', 'do_wp_page']);
  });
  it('refuses a write fault on a read-only VMA and a read fault on PROT_NONE with VM_FAULT_SIGSEGV', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    b.vma('buf').write = false;
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(VM_FAULT_SIGSEGV);
    b.vma('buf').read = false;
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'read')).toBe(VM_FAULT_SIGSEGV);
  });
  it('maps the page-cache folio read-only on a read fault of a private file mapping', () => {
    const b = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4', 'D')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    expect(f.owner).toEqual({ type: 'file', file: 0, index: 0 });
    expect([f.refcount, f.mapcount, f.data]).toEqual([2, 1, 'D']);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('copies the page-cache folio into an anonymous page on a write fault of a private file mapping', () => {
    const b = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4', 'D')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect([f.owner.type, f.data]).toEqual(['anon', 'D']);
    const cached = folioOf(b.w, b.w.files[0]?.cache[0] ?? -1);
    expect([cached.refcount, cached.mapcount]).toEqual([1, 0]);
  });
  it('maps a shared ext4 page read-only on a read fault (write notification) and dirties it on a write fault', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4', 'D')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect(f.owner.type).toBe('file');
    expect([f.flags.dirty, f.flags.buffers]).toEqual([true, true]);
    expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: true });
  });
  it('maps a shared shmem page writable on a read fault (no write notification)', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: false });
  });
  it('backs shared anonymous memory with a shmem file: no zero page, and a write never touches the zero page', () => {
    const b = bench('v6.6', [anonMap('buf', { kind: 'base' }, true)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    expect(f.id).not.toBe(b.w.zeroPage);
    expect(f.owner.type).toBe('file');
    expect(b.w.files.at(-1)?.fs).toBe('shmem');
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.folio('buf').id).toBe(f.id);
    expect(folioOf(b.w, b.w.zeroPage).flags.dirty).toBe(false);
  });
  it.each(RELEASES)('restores the exclusive bit on swap-in from v5.19 (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(true);
    expect(b.vma('buf').pte).toMatchObject({ kind: 'swap', exclusive: AE(r) });
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    expect(f.flags.anonExclusive).toBe(AE(r));
    expect(b.ctx.calls).toContain('do_swap_page');
  });
  it.each(RELEASES)('swaps in a page writable on a write fault when nobody else has it (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    b.folio('buf').data = 'S';
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: true });
    expect([f.data, f.refcount, f.mapcount, f.flags.swapcache]).toEqual(['S', 1, 1, false]);
  });
  it.each(RELEASES)('breaks COW on a write fault that swaps in a page shared with a child (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    b.folio('buf').data = 'S';
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    const child = dupMm(b.ctx, b.w, 0);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const parent = b.folio('buf');
    parent.data = 'P';
    handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
    expect(b.folio('buf', child).data).toBe('S');
    expect(b.vma('buf').pte).toMatchObject({ writable: true });
  });
  it('lets reuse_swap_page() reuse a swapped-in page a GUP reference holds before v5.19 (v5.15)', () => {
    const b = bench('v5.15', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    expect(f.flags.swapcache).toBe(true);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.folio('buf').id).toBe(f.id);
  });
  it('copies a swapped-in page a GUP reference holds on v5.19 and later (v6.6)', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    setFolioFlag(f, 'anonExclusive', false); // a FOLL_GET reference does not keep the page exclusive
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.folio('buf').id).not.toBe(f.id);
  });
  it('allocates an exclusive hugetlb page on the first write fault and maps it writable', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    expect([f.kind, f.mapcount, f.flags.anonExclusive]).toEqual(['hugetlb', 1, true]);
    expect(b.vma('buf').pte).toMatchObject({ writable: true, huge: true });
    expect(b.ctx.calls).toEqual(['hugetlb_no_page']);
  });
  it('maps a private hugetlb page read-only on a read fault (no huge zero page for hugetlb)', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(b.folio('buf').kind).toBe('hugetlb');
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
  });
  it('does not run hugetlb_wp for a write to a writable hugetlb entry', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.ctx.calls).toEqual(['hugetlb_no_page']);
  });
  it('shares a shared anonymous hugetlb page through hugetlbfs', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB, true)]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(b.folio('buf').owner.type).toBe('file');
    expect(b.w.files.at(-1)?.fs).toBe('hugetlbfs');
  });
});
