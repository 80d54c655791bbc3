import { ZERO_DATA } from '../mm/filemap.js';
import { findVma } from '../mm/pgtable.js';
import type { World } from '../core/world.js';

/**
 * What a process would read from a buffer now, without faulting or changing anything: the mapped
 * folio's contents, the swap slot's, the page cache's (or the disk's) for an unpopulated file mapping
 * ("SIGBUS" past the file's end), zeros for unpopulated anonymous memory; null when the process does not exist or has no such buffer.
 */
export function peekBuffer(w: World, mmId: number | null, buf: string): string | null {
  if (mmId === null) return null;
  const mm = w.mms[mmId];
  if (!mm?.alive) return null;
  const i = findVma(mm, buf);
  const vma = i === null ? undefined : mm.vmas[i];
  if (!vma) return null;
  const pte = vma.pte;
  if (pte.kind === 'present') return w.folios[pte.folio]?.data ?? null;
  if (pte.kind === 'swap') return w.swap[pte.slot]?.data ?? null;
  if (vma.backing.type === 'anon') return ZERO_DATA;
  const file = w.files[vma.backing.file];
  // A load of a file page past i_size would raise SIGBUS (filemap_fault, shmem_fault, hugetlb_no_page).
  if (file !== undefined && vma.backing.pgoff >= file.size) return 'SIGBUS';
  const cached = file?.cache[vma.backing.pgoff];
  if (cached !== undefined && cached !== null) return w.folios[cached]?.data ?? null;
  return file?.disk[vma.backing.pgoff] ?? ZERO_DATA;
}
