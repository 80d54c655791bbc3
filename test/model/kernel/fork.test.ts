import { describe, expect, it } from 'vitest';
import { FOLL_LONGTERM, FOLL_WRITE } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { pinUserPages } from '../../../src/model/mm/gup.js';
import { madviseVmaBehavior } from '../../../src/model/mm/madvise.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import type { PageSpec } from '../../../src/model/engine/program.js';
import { folioOf } from '../../../src/model/core/world.js';
import { HUGETLB, THP, anonMap, bench, fileMap, fileSpec } from '../builders.js';

const PIN_RELEASES = RELEASES.filter((r) => releaseAtLeast(r, 'v5.8'));

/** A written private anon buffer, optionally write-pinned longterm, then fork. */
function forked(release: string, page: PageSpec, pin: boolean) {
  const b = bench(release, [anonMap('buf', page)]);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
  const f = b.folio('buf');
  f.data = 'A';
  if (pin) pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_LONGTERM);
  const child = dupMm(b.ctx, b.w, 0);
  return { b, f, child };
}

describe('dupMm', () => {
  it.each(RELEASES)('shares an unpinned anon page and write-protects both entries (%s)', (r) => {
    const { b, f, child } = forked(r, { kind: 'base' }, false);
    expect(b.folio('buf', child).id).toBe(f.id);
    expect([f.refcount, f.mapcount, f.flags.anonExclusive]).toEqual([2, 2, false]);
    expect(b.vma('buf').pte).toMatchObject({ writable: false });
    expect(b.vma('buf', child).pte).toMatchObject({ writable: false });
  });
  it.each(PIN_RELEASES)('copies a pinned exclusive page for the child from v5.9 only (%s)', (r) => {
    const { b, f, child } = forked(r, { kind: 'base' }, true);
    const early = releaseAtLeast(r, 'v5.9');
    const childFolio = b.folio('buf', child);
    expect(childFolio.id !== f.id).toBe(early);
    if (early) {
      expect(childFolio.data).toBe('A');
      expect(b.vma('buf').pte).toMatchObject({ folio: f.id, writable: true });
      expect(b.vma('buf', child).pte).toMatchObject({ writable: true });
      expect(f.mapcount).toBe(1);
    }
  });
  it.each(PIN_RELEASES)('copies a pinned hugetlb page for the child from v5.12 on (%s)', (r) => {
    const { b, f, child } = forked(r, HUGETLB, true);
    const copy = b.folio('buf', child);
    expect(copy.id !== f.id).toBe(releaseAtLeast(r, 'v5.12'));
    expect(copy.kind).toBe('hugetlb');
  });
  it('splits a pinned PMD-mapped THP in the parent and gives the child a copy (v6.6)', () => {
    const { b, f, child } = forked('v6.6', THP, true);
    expect(b.folio('buf', child).id).not.toBe(f.id);
    expect(b.vma('buf').pte).toMatchObject({ folio: f.id, huge: false });
  });
  it('does not inherit MMF_HAS_PINNED', () => {
    const { b, child } = forked('v6.6', { kind: 'base' }, true);
    expect([b.w.mms[0]?.hasPinned, b.w.mms[child]?.hasPinned]).toEqual([true, false]);
  });
  it('bumps write_protect_seq by two around the copy', () => {
    const { b } = forked('v6.6', { kind: 'base' }, false);
    expect(b.w.mms[0]?.writeProtectSeq).toBe(2);
  });
  it('leaves a MADV_DONTFORK mapping out of the child', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    madviseVmaBehavior(b.ctx, b.w, b.at('buf'), 'dontfork');
    const child = dupMm(b.ctx, b.w, 0);
    expect(b.w.mms[child]?.vmas).toEqual([]);
    expect(b.folio('buf').mapcount).toBe(1);
  });
  it('gives the child an empty MADV_WIPEONFORK mapping that reads zeros', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    b.folio('buf').data = 'A';
    expect(madviseVmaBehavior(b.ctx, b.w, b.at('buf'), 'wipeonfork')).toBe(0);
    const child = dupMm(b.ctx, b.w, 0);
    expect(b.vma('buf', child).pte).toEqual({ kind: 'none' });
    handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
    expect(b.folio('buf', child).id).toBe(b.w.zeroPage);
    expect(b.vma('buf').pte).toMatchObject({ writable: true });
  });
  it('does not copy a shared file mapping: the child refaults the same page-cache page', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    const child = dupMm(b.ctx, b.w, 0);
    expect(b.vma('buf', child).pte).toEqual({ kind: 'none' });
    expect(b.vma('buf').pte).toMatchObject({ writable: true });
    handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
    expect(b.folio('buf', child).id).toBe(f.id);
  });
  it('lets parent and child share shared anonymous memory faulted only after fork', () => {
    const b = bench('v6.6', [anonMap('buf', { kind: 'base' }, true)]);
    const child = dupMm(b.ctx, b.w, 0);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
    expect(b.folio('buf', child).id).toBe(b.folio('buf').id);
  });
  it('duplicates a swap entry: both processes reference the slot, neither exclusively', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    const child = dupMm(b.ctx, b.w, 0);
    const pte = b.vma('buf').pte;
    expect(pte).toMatchObject({ kind: 'swap', exclusive: false });
    expect(b.vma('buf', child).pte).toEqual(pte);
    expect(b.w.swap[0]?.count).toBe(2);
  });
  it('maps the page-cache page of a private file mapping with an anon_vma in both, read-only', () => {
    const b = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    b.vma('buf').anonVma = true;
    const f = b.folio('buf');
    const child = dupMm(b.ctx, b.w, 0);
    expect(b.folio('buf', child).id).toBe(f.id);
    expect([f.refcount, f.mapcount]).toEqual([3, 2]);
    expect(folioOf(b.w, f.id).owner.type).toBe('file');
  });
});
