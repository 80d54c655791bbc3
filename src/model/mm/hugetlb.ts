import { VM_FAULT_SIGBUS, type OwnVma, type VmFault } from '../include/mm_types.js';
import type { Ctx } from '../core/ctx.js';
import { ZERO_DATA, filemapGetFolio } from './filemap.js';
import { folioAlloc, folioTestAnon } from './folio.js';
import type { WpKind } from './memory/wp.js';
import { wpPageCopy, wpPageReuse } from './memory/wp.js';
import { mkPte } from './pgtable.js';
import { folioAddFileRmap, folioAddNewAnonRmap } from './rmap.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';
import { fileOf } from '../core/world.js';

/** Whether a hugetlbfs file has no page at `index`: none in its page cache, no contents declared. */
function hugetlbfsHole(w: Draft, file: number, index: number): boolean {
  const f = fileOf(w, file);
  const cached = f.cache[index];
  return (cached === undefined || cached === null) && f.disk[index] === undefined;
}

/**
 * hugetlb_no_page(): the first touch of a hugetlb entry. Private anonymous memory gets a fresh,
 * exclusive, zeroed huge page (there is no huge zero page for hugetlb); files (memfd hugetlb) use the
 * hugetlbfs page cache, except where a private (!VM_MAYSHARE) mapping meets a hole: the new page is
 * not added to the page cache but mapped as an anonymous page (anon_rmap; the 5.10 tree's
 * mm/hugetlb.c:4429, 6.1 :5922, 6.12 :6201, 7.2 :5831), so a later store through a shared mapping of
 * the file is not seen there. Private mappings are mapped read-only and a write fault goes on to
 * hugetlb_wp(). A writable entry is made dirty at once, on a read fault too (make_huge_pte(): 5.10
 * mm/hugetlb.c:3778, 6.1 :4984, 6.12 :5191, 7.2 :4846; called at 5.10 :4483, 6.1 :5998, 6.12 :6274,
 * 7.2 :5903).
 * A file page at or past i_size (in huge pages) is VM_FAULT_SIGBUS, nothing mapped: the 5.10 tree
 * tests it before looking in the page cache (mm/hugetlb.c:4366), 6.1, 6.12 and 7.2 when the page
 * cache has no folio there (6.1 :5866, 6.12 :6140, 7.2 :5770), which past i_size it never has:
 * truncation removes it, and hugetlbfs_read_iter() adds none. MODEL: tested first, as 5.10 does (the
 * model's pread of a hole can leave a folio past i_size in the cache).
 * @kernel mm/hugetlb.c:hugetlb_no_page
 */
export function hugetlbNoPage(ctx: Ctx, w: Draft, vma: OwnVma, kind: WpKind | 'read'): VmFault {
  const backing = vma.backing;
  if (backing.type === 'file') {
    const file = fileOf(w, backing.file);
    if (backing.pgoff >= file.size) return VM_FAULT_SIGBUS;
  }
  const anon = backing.type === 'anon' || (!vma.shared && hugetlbfsHole(w, backing.file, backing.pgoff));
  const writable = vma.shared && vma.write;
  if (anon) {
    const f = folioAlloc(w, 'hugetlb', vma.order, { type: 'anon' }, ZERO_DATA);
    folioAddNewAnonRmap(ctx, f);
    vma.anonVma = true;
    vma.pte = mkPte(f.id, { writable: writable, dirty: writable, huge: true });
  } else if (backing.type === 'file') {
    const f = filemapGetFolio(w, ownFile(w, backing.file), backing.pgoff, vma.order);
    f.refcount += 1;
    folioAddFileRmap(f);
    vma.pte = mkPte(f.id, { writable: writable, dirty: writable, huge: true });
  }
  if (kind === 'write' && !vma.shared) hugetlbWp(ctx, w, vma, 'write');
  return 0;
}

/**
 * hugetlb_wp() (hugetlb_cow() before v5.19): unlike do_wp_page() it still decides reuse by mapcount,
 * so a FOLL_GET reference (vmsplice) on a hugetlb page does not prevent reuse: the CVE-2020-29374 leak
 * that mm/cow's hugetlb vmsplice tests still report. A FOLL_FORCE write into a read-only private
 * mapping follows policy hugetlb.forceWrite.
 * @kernel mm/hugetlb.c:hugetlb_wp
 */
export function hugetlbWp(ctx: Ctx, w: Draft, vma: OwnVma, kind: WpKind): void {
  const pte = vma.pte;
  if (pte.kind !== 'present') return;
  const f = ownFolio(w, pte.folio);
  if (vma.shared) {
    if (kind === 'write') vma.pte = mkPte(pte.folio, { writable: true, dirty: true, huge: true });
    return;
  }
  if (kind === 'unshare' && f.flags.anonExclusive) return;
  const exclusiveByRule =
    ctx.policies['hugetlb.cowReuse'] === 'mapcount' ? f.mapcount === 1 : f.refcount === 1 && f.mapcount === 1;
  if (folioTestAnon(f) && (exclusiveByRule || f.flags.anonExclusive)) wpPageReuse(ctx, vma, f, kind);
  else wpPageCopy(ctx, w, vma, kind);
  // Before v6.0 a write fault mapped the huge page writable whatever VM_WRITE said, so a FOLL_FORCE
  // write left a writable entry in a read-only VMA; later releases keep it read-only (maybe_mkwrite).
  const after = vma.pte;
  if (kind === 'write' && ctx.policies['hugetlb.forceWrite'] === 'writable' && after.kind === 'present')
    vma.pte = mkPte(after.folio, { writable: true, dirty: true, huge: true });
}
