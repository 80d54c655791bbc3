import type { File } from '../include/fs.js';
import type { OwnVma } from '../include/mm_types.js';
import { ownArray, type Draft } from '../core/cow.js';

/**
 * shmem_zero_setup() (hugetlb_file_setup() for MAP_HUGETLB): a MAP_SHARED|MAP_ANONYMOUS mapping is
 * backed by an unlinked shmem (or hugetlbfs) file, so it is not vma_is_anonymous(): it faults through
 * the page cache, never maps the zero page, and a child after fork finds the same pages. Does nothing
 * for any other VMA, or one already set up.
 * MODEL: the kernel does this in mmap(); the model does it the first time the VMA is faulted or forked
 * (the program's mappings are made before anything can touch them, so the outcome is the same). The
 * file has no name a program can refer to.
 * @kernel mm/shmem.c:shmem_zero_setup
 */
export function shmemZeroSetup(w: Draft, vma: OwnVma): void {
  if (!vma.shared || vma.backing.type !== 'anon') return;
  const file: File = {
    id: w.files.length,
    name: vma.hugetlb ? 'anon_hugepage (deleted)' : 'dev/zero (deleted)',
    fs: vma.hugetlb ? 'hugetlbfs' : 'shmem',
    cache: [],
    disk: [],
    size: 1, // the mapping's length: the VMA maps one page of the file
    integrity: false,
    stableWrites: false,
    csumBad: [],
    reflinks: [],
    staleCache: [],
  };
  ownArray(w, 'files').push(file);
  vma.backing = { type: 'file', file: file.id, pgoff: 0 };
}
