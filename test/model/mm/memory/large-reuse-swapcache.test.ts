import { describe, expect, it } from 'vitest';
import { dupMm } from '../../../../src/model/kernel/fork.js';
import { anonOrderUnavailable } from '../../../../src/model/mm/anon-orders.js';
import { getUserPages, putPage } from '../../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../../src/model/mm/memory/fault.js';
import { exitMmap } from '../../../../src/model/mm/mmap.js';
import { pageoutVma } from '../../../../src/model/mm/vmscan.js';
import { RELEASES } from '../../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../../src/model/profile/release.js';
import { ownFolio } from '../../../../src/model/core/cow.js';
import { THP_PTE_ORDER } from '../../../../src/scenario/pages.js';
import { anonMap, bench } from '../../builders.js';
import { profile } from '../../harness.js';

const MTHP = { kind: 'thp', order: THP_PTE_ORDER } as const;
/** Releases with anonymous mTHP (v6.8): the others cannot map `page=thp-pte` at all. */
const WITH_MTHP = RELEASES.filter((r) => releaseAtLeast(r, 'v6.8'));
const WITHOUT_MTHP = RELEASES.filter((r) => !releaseAtLeast(r, 'v6.8'));

/**
 * A PTE-mapped mTHP the parent swapped out while a driver held a FOLL_GET reference (so the folio
 * stays in the swap cache), then forked: parent and child now both have a swap entry for it. The
 * parent faults it back read-only (its entry is no longer exclusive), the driver lets go, and the
 * parent writes. From v6.15 __wp_can_reuse_large_anon_folio() (7.2.13 mm/memory.c:4109) first frees
 * the swap cache (folio_free_swap(), :4143), which fails while the child's swap entry needs it, so the
 * cache's reference keeps refcount above the mapcount and the folio is copied (v6.9..v6.14 never reuse
 * a large folio: 6.12.117 mm/memory.c:3596). The model reused it while it was still the child's swap
 * cache page, so the child swapped in the parent's new data: a false leak from v6.15.
 */
function swappedThenForked(r: string) {
  const b = bench(r, [anonMap('buf', MTHP)]);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
  const old = b.folio('buf');
  old.data = 'A';
  expect(getUserPages(b.ctx, b.w, b.at('buf'), 0).ret).toBe(1);
  expect(pageoutVma(b.ctx, b.w, b.vma('buf'))).toBe(true);
  expect(old.flags.swapcache).toBe(true);
  const child = dupMm(b.ctx, b.w, 0);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
  expect(b.folio('buf').id).toBe(old.id);
  putPage(b.ctx, b.w, ownFolio(b.w, old.id));
  return { b, old, child };
}

describe('a large folio still in the swap cache a child needs is copied, not reused', () => {
  it.each(WITHOUT_MTHP)('%s has no anonymous mTHP', (r) => {
    expect(anonOrderUnavailable(profile(r).policies, true, THP_PTE_ORDER)).toEqual(expect.any(String));
  });
  it.each(WITH_MTHP)('%s: the parent copies; the child swaps in the old data', (r) => {
    const { b, old, child } = swappedThenForked(r);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    const now = b.folio('buf');
    expect(now.id).not.toBe(old.id);
    now.data = 'B';
    expect(ownFolio(b.w, old.id).flags.swapcache).toBe(true);
    handleMmFault(b.ctx, b.w, b.at('buf', child), 'read');
    expect(b.folio('buf', child).data).toBe('A');
  });
  it.each(WITH_MTHP)('%s: once the child exits, reused from v6.15 on, copied before', (r) => {
    const { b, old, child } = swappedThenForked(r);
    exitMmap(b.ctx, b.w, child);
    expect(handleMmFault(b.ctx, b.w, b.at('buf'), 'write')).toBe(0);
    expect(b.folio('buf').id === old.id).toBe(releaseAtLeast(r, 'v6.15'));
  });
});
