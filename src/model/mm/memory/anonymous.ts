import { HPAGE_PMD_ORDER, type OwnVma } from '../../include/mm_types.js';
import type { Ctx } from '../../core/ctx.js';
import { ZERO_DATA } from '../filemap.js';
import { folioAlloc } from '../folio.js';
import { mkPte } from '../pgtable.js';
import { folioAddNewAnonRmap } from '../rmap.js';
import type { Draft } from '../../core/cow.js';

/**
 * do_anonymous_page() / do_huge_pmd_anonymous_page(): first touch of private anonymous memory. A read
 * maps the shared zero page (the huge zero page for a PMD-sized THP area) without any reference or
 * rmap; a write allocates a zeroed folio, exclusive to this mm, mapped writable and dirty (with VM_WRITE).
 * MODEL: huge zero page use is always enabled (/sys/kernel/mm/transparent_hugepage/use_zero_page = 1).
 * @kernel mm/memory.c:do_anonymous_page
 */
export function doAnonymousPage(ctx: Ctx, w: Draft, vma: OwnVma, write: boolean): void {
  const pmd = vma.order >= HPAGE_PMD_ORDER;
  if (!write) {
    vma.pte = mkPte(pmd ? w.hugeZeroPage : w.zeroPage, { writable: false, dirty: false, huge: pmd });
    return;
  }
  const f = folioAlloc(w, vma.order > 0 ? 'thp' : 'small', vma.order, { type: 'anon' }, ZERO_DATA);
  folioAddNewAnonRmap(ctx, f); // anon_vma_prepare() + folio_add_new_anon_rmap()
  vma.anonVma = true;
  // Only VM_WRITE makes the new entry writable (and dirty): a FOLL_FORCE write into a read-only
  // private mapping gets a read-only entry and a write fault on the next try.
  vma.pte = mkPte(f.id, { writable: vma.write, dirty: vma.write, huge: pmd });
}
