import { describe, expect, it } from 'vitest';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { doMunmap, exitMmap } from '../../../src/model/mm/mmap.js';
import { pageoutVma } from '../../../src/model/mm/vmscan.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { anonMap, bench } from '../builders.js';

/** P's page swapped out, then shared with a child by fork, which swaps it back in with a read. */
function swappedInByChild(r: string) {
  const b = bench(r, [anonMap('buf')]);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
  expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(true);
  const child = dupMm(b.ctx, b.w, 0);
  handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
  const f = b.folio('buf', child);
  expect([f.flags.swapcache, b.w.swap[0]?.count]).toEqual([true, 1]);
  return { b, child, f };
}

// free_swap_and_cache() frees the swap-cache folio of the last swap entry only when nobody maps it
// (TTRS_UNMAPPED: the 5.10 tree's mm/swapfile.c:1815 and :145, 6.1 :1647 and :150, 6.12 :1943 and
// :215, 7.2 :1631 and :236).
describe('freeSwapAndCache', () => {
  it.each(RELEASES)('%s: the last swap entry gone, a folio a process maps stays in the swap cache', (r) => {
    // Before: the folio left the swap cache though the child still mapped it.
    const { b, f } = swappedInByChild(r);
    exitMmap(b.ctx, b.w, 0);
    expect(b.w.swap[0]?.count).toBe(0);
    expect([f.flags.swapcache, b.w.swap[0]?.cache]).toEqual([true, f.id]);
  });
  it.each(RELEASES)('%s: the last swap entry gone, a folio nobody maps leaves the swap cache', (r) => {
    const { b, child, f } = swappedInByChild(r);
    doMunmap(b.ctx, b.w, b.at('buf', child));
    exitMmap(b.ctx, b.w, 0);
    expect([f.freed, b.w.swap[0]?.cache]).toEqual([true, null]);
  });
});
