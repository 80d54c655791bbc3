import { fresh } from '../include/own.js';
import { copyVma, PTE_NONE, type Mm, type OwnMm, type OwnVma } from '../include/mm_types.js';
import { copyNonpresentPte, copyPresentPte } from '../mm/memory/copy-pte.js';
import { shmemZeroSetup } from '../mm/shmem.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownMm, type Draft } from '../core/cow.js';

/**
 * vma_needs_copy(): fork copies page tables only where a fault could not rebuild them: VMAs with
 * anonymous pages (an anon_vma). Shared and untouched file mappings are refaulted by the child.
 * Before v6.0 hugetlb VMAs were always copied (policy fork.hugetlbTables: copy_page_range() tested
 * VM_HUGETLB; "hugetlb: lazy page table copies in fork()" dropped that).
 * @kernel mm/memory.c:vma_needs_copy
 */
function vmaNeedsCopy(ctx: Ctx, vma: OwnVma): boolean {
  if (vma.hugetlb && ctx.policies['fork.hugetlbTables'] === 'copy') return true;
  return vma.anonVma;
}

/**
 * dup_mm() -> dup_mmap() -> copy_page_range(): the child's address space, under the parent's
 * mmap_lock and write_protect_seq. MADV_DONTFORK VMAs are left out; MADV_WIPEONFORK VMAs start empty.
 * MMF_HAS_PINNED is not inherited. Returns the child's mm id.
 * MODEL: fork is one atomic step (it holds mmap_lock for write throughout).
 * @kernel kernel/fork.c:dup_mmap
 * @kernel mm/mmap.c:dup_mmap
 */
export function dupMm(ctx: Ctx, w: Draft, parentId: number): number {
  const parent = ownMm(w, parentId);
  parent.writeProtectSeq += 1; // raw_write_seqcount_begin()
  const child = fresh<Mm, OwnMm>({
    id: w.mms.length,
    alive: true,
    hasPinned: false,
    writeProtectSeq: 0,
    vmas: [],
  });
  ownArray(w, 'mms').push(child);
  for (const src of parent.vmas) {
    if (src.dontfork) continue;
    shmemZeroSetup(w, src); // so the child's copy of a shared anonymous VMA shares its pages
    const dst = copyVma(src); // vm_area_dup()
    dst.anonVma = src.anonVma && !src.wipeonfork;
    dst.pte = PTE_NONE;
    child.vmas.push(dst);
    if (src.wipeonfork || !vmaNeedsCopy(ctx, src)) continue;
    if (src.pte.kind === 'present') copyPresentPte(ctx, w, dst, src, parent);
    else copyNonpresentPte(w, dst, src);
  }
  parent.writeProtectSeq += 1; // raw_write_seqcount_end()
  return child.id;
}
