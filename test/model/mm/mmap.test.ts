import { describe, expect, it } from 'vitest';
import { FOLL_GET } from '../../../src/model/include/foll.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { tryGrabFolio } from '../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { doMunmap, exitMmap } from '../../../src/model/mm/mmap.js';
import { mkPte } from '../../../src/model/mm/pgtable.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { folioOf } from '../../../src/model/core/world.js';
import { anonMap, bench, fileMap, fileSpec } from '../builders.js';

describe('doMunmap', () => {
  it('drops the mapping and its reference, freeing an anon page nobody else holds', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    doMunmap(b.ctx, b.w, b.at('buf'));
    expect(f.freed).toBe(true);
    expect(b.w.mms[0]?.vmas).toEqual([]);
  });
  it('keeps a page a GUP reference holds', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    doMunmap(b.ctx, b.w, b.at('buf'));
    expect([f.freed, f.refcount, f.mapcount]).toEqual([false, 1, 0]);
  });
  it('moves the dirty bit of a shared file entry to the folio, which stays in the page cache', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    b.vma('buf').pte = mkPte(f.id, { writable: true, dirty: true, huge: false }); // the CPU stored through it
    doMunmap(b.ctx, b.w, b.at('buf'));
    expect([f.flags.dirty, f.refcount, f.freed]).toEqual([true, 1, false]);
  });
  it('takes no reference off the zero page', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    doMunmap(b.ctx, b.w, b.at('buf'));
    expect(folioOf(b.w, b.w.zeroPage).refcount).toBe(1);
  });
  it('frees the swap slot of a swapped-out entry', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    pageoutVma(b.ctx, b.w, b.vma('buf'));
    doMunmap(b.ctx, b.w, b.at('buf'));
    expect(b.w.swap[0]?.count).toBe(0);
  });
});

describe('exitMmap', () => {
  it('zaps every mapping and marks the mm dead, leaving the child its shared page', () => {
    const b = bench('v6.6', [anonMap('a'), anonMap('b')]);
    handleMmFault(b.ctx, b.w, b.at('a'), 'write');
    handleMmFault(b.ctx, b.w, b.at('b'), 'write');
    const fa = b.folio('a');
    const fb = b.folio('b');
    const child = dupMm(b.ctx, b.w, 0);
    exitMmap(b.ctx, b.w, 0);
    expect(b.w.mms[0]).toMatchObject({ alive: false, vmas: [] });
    expect([fa.refcount, fa.mapcount, fb.refcount, fb.mapcount]).toEqual([1, 1, 1, 1]);
    expect(b.folio('a', child).id).toBe(fa.id);
  });
});
