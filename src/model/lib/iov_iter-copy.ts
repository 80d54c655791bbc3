import type { IovIter } from '../include/uio.js';
import { handleMmFault } from '../mm/memory/fault.js';
import { touchFreed } from '../mm/folio.js';
import { vmaAt } from '../mm/pgtable.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { iovIterAdvance } from './iov_iter.js';

/**
 * copy_folio_from_iter() (copy_folio_from_iter_atomic() for a FOLL_NOFAULT iterator): the CPU reads
 * the iterator's current segment, a user buffer through its mapping (copy_from_user: a read fault
 * when absent; none for the atomic variant) or a kernel page, and the iterator advances. Returns the
 * contents copied, or null for a short copy (the caller's -EFAULT). Nothing is grabbed.
 * MODEL: one whole segment per call (a page token), as everywhere in iov_iter.
 * @kernel include/linux/uio.h:copy_folio_from_iter
 */
export function copyFolioFromIter(ctx: Ctx, w: Draft, i: IovIter): string | null {
  ctx.calls.push('copy_folio_from_iter');
  const seg = i.segs[i.pos];
  if (seg === undefined || i.type === 'discard') return null;
  let id: number;
  if (seg.kind === 'user') {
    const at = { mm: seg.mm, vma: seg.vma };
    if (!i.nofault && handleMmFault(ctx, w, at, 'read') !== 0) return null;
    const pte = vmaAt(w, at).pte;
    if (pte.kind !== 'present') return null;
    id = pte.folio;
  } else id = seg.folio;
  const f = ownFolio(w, id);
  touchFreed(ctx, f, 'cpu-read');
  iovIterAdvance(i, 1);
  return f.data;
}
