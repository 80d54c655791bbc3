import { EFAULT, type KernelResult } from '../include/errno.js';
import { FOLL_NOFAULT, FOLL_WRITE } from '../include/foll.js';
import type { BvecGrab } from '../include/blk_types.js';
import type { IovIter, IterSeg, IterType } from '../include/uio.js';
import { folioRefAdd } from '../mm/folio.js';
import { getUserPages, pinUserPages } from '../mm/gup.js';
import type { Policies } from '../profile/policies/index.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, type Draft } from '../core/cow.js';

/** What a page-getting call returns: pages (or -errno), the folios, and how each was grabbed. */
interface IterPages {
  readonly ret: KernelResult;
  readonly folios: readonly number[];
  readonly grab: BvecGrab;
}

/** Why this release has no such iterator flavour, or null. */
export function iterUnavailable(p: Policies, type: IterType): string | null {
  if (type === 'ubuf' && p['iov.ubuf'] === 'absent') return 'ITER_UBUF does not exist before v6.0';
  if (type === 'xarray' && p['iov.xarray'] === 'absent') return 'ITER_XARRAY does not exist before v5.13';
  if (type === 'folioq' && p['iov.folioq'] === 'absent') return 'ITER_FOLIOQ does not exist before v6.12';
  if (type === 'discard' && p['iov.discard'] === 'absent') return 'ITER_DISCARD does not exist before v4.20';
  return null;
}

/**
 * The iterator a direct read or write builds over one user buffer when the scenario names none:
 * pread(2)/pwrite(2) go through new_sync_read()/new_sync_write(), iov_iter_init() (ITER_IOVEC) until
 * ITER_UBUF exists and iov_iter_ubuf() from then ("switch new_sync_{read,write}() to ITER_UBUF",
 * v6.0, with "new iov_iter flavour - ITER_UBUF": the 5.10 tree's fs/read_write.c:413, 6.1 :387,
 * 6.12 :486, 7.2 :491); io_submit()'s aio_setup_rw() calls import_single_range(), import_ubuf() in
 * the 6.12 and 7.2 trees (fs/aio.c:1563, :1606): policy iov.importSingle.
 * @kernel fs/read_write.c:new_sync_read
 */
export function syscallIter(p: Policies, async: boolean): IterType {
  if (async) return p['iov.importSingle'];
  return p['iov.ubuf'] === 'present' ? 'ubuf' : 'iovec';
}

/**
 * import_iovec() of one segment, import_single_range() / import_ubuf(): the iterator a system call
 * builds over one user buffer, ITER_IOVEC (iov_iter_init()) or, from v6.4, ITER_UBUF
 * (iov_iter_ubuf()) (policy iov.importSingle). Returns the type; the trace names the constructor.
 * @kernel lib/iov_iter.c:__import_iovec
 */
export function importSingle(ctx: Ctx): IterType {
  const type = ctx.policies['iov.importSingle'];
  ctx.calls.push(type === 'ubuf' ? 'iov_iter_ubuf' : 'iov_iter_init');
  return type;
}

/** iov_iter_ubuf() / iov_iter_init() / iov_iter_kvec() / iov_iter_bvec() / ...: a new iterator. */
export function iovIterInit(
  type: IterType,
  dest: boolean,
  segs: readonly IterSeg[],
  nofault = false,
): IovIter {
  return { type, dest, segs, pos: 0, nofault };
}

/** user_backed_iter(): ITER_UBUF or ITER_IOVEC. @kernel include/linux/uio.h:user_backed_iter */
export function userBackedIter(i: IovIter): boolean {
  return i.type === 'ubuf' || i.type === 'iovec';
}

/** iov_iter_advance() by n segments. @kernel lib/iov_iter.c:iov_iter_advance */
export function iovIterAdvance(i: IovIter, n: number): void {
  i.pos = Math.min(i.segs.length, i.pos + n);
}

/**
 * get_page() on a kernel page found through a BVEC/XARRAY/FOLIOQ segment. A vmalloc page is an
 * ordinary refcounted page (vmalloc_to_page()): the reference is correct and keeps it past vfree()
 * (5.10.262 lib/iov_iter.c:1340, 6.1.176 :1477, 6.12.117 :1194, 7.2.13 :1110 all take it). A slab
 * folio has no reference count from v6.14 (policy mm.slabRefcount): the ITER_BVEC path skips it (the
 * 7.2 tree's lib/iov_iter.c:1110), so nothing keeps it past kfree().
 */
function getKernelPage(ctx: Ctx, w: Draft, id: number): void {
  const f = ownFolio(w, id);
  if (f.kind === 'slab' && ctx.policies['mm.slabRefcount'] === 'frozen') return;
  folioRefAdd(ctx, f, 1);
}

/**
 * iov_iter_get_pages2(): the old API, always references. User-backed: get_user_pages_fast (FOLL_GET,
 * FOLL_WRITE when the iterator is a destination, FOLL_NOFAULT when asked) on the first segment;
 * BVEC/XARRAY/FOLIOQ: get_page() on each page; KVEC and DISCARD: -EFAULT. Advances the iterator.
 * MODEL: one segment per call. `fn` is the caller's variant: iov_iter_get_pages_alloc2() grabs the same
 * pages into an array it allocates (NFS O_DIRECT calls it).
 * @kernel lib/iov_iter.c:iov_iter_get_pages2
 */
export function iovIterGetPages2(
  ctx: Ctx,
  w: Draft,
  i: IovIter,
  fn: 'iov_iter_get_pages2' | 'iov_iter_get_pages_alloc2' = 'iov_iter_get_pages2',
): IterPages {
  ctx.calls.push(fn);
  const seg = i.segs[i.pos];
  if (seg === undefined) return { ret: 0, folios: [], grab: 'ref' };
  if (i.type === 'kvec' || i.type === 'discard') return { ret: -EFAULT, folios: [], grab: 'ref' };
  if (seg.kind === 'user') {
    const flags = (i.dest ? FOLL_WRITE : 0) | (i.nofault ? FOLL_NOFAULT : 0);
    const r = getUserPages(ctx, w, { mm: seg.mm, vma: seg.vma }, flags, true);
    if (r.ret <= 0) return { ret: r.ret < 0 ? r.ret : -EFAULT, folios: [], grab: 'ref' };
    iovIterAdvance(i, 1);
    return { ret: 1, folios: r.folios, grab: 'ref' };
  }
  getKernelPage(ctx, w, seg.folio);
  iovIterAdvance(i, 1);
  return { ret: 1, folios: [seg.folio], grab: 'ref' };
}

/**
 * iov_iter_extract_will_pin(): the extracted pages will be pinned (user-backed iterators) and must
 * be unpinned; otherwise they are only listed and their owner keeps them alive.
 * @kernel include/linux/uio.h:iov_iter_extract_will_pin
 */
export function iovIterExtractWillPin(i: IovIter): boolean {
  return userBackedIter(i);
}

/**
 * iov_iter_extract_pages() (v6.3): user-backed iterators are pinned (pin_user_pages_fast, FOLL_WRITE
 * for a destination); KVEC (vmalloc_to_page / virt_to_page), BVEC, XARRAY and FOLIOQ pages are only
 * listed (no reference, no pin); DISCARD is -EFAULT. Advances the iterator.
 * @kernel lib/iov_iter.c:iov_iter_extract_pages
 */
export function iovIterExtractPages(ctx: Ctx, w: Draft, i: IovIter): IterPages {
  ctx.calls.push('iov_iter_extract_pages');
  const seg = i.segs[i.pos];
  const grab: BvecGrab = iovIterExtractWillPin(i) ? 'pin' : 'none';
  if (seg === undefined) return { ret: 0, folios: [], grab };
  if (i.type === 'discard') return { ret: -EFAULT, folios: [], grab };
  if (seg.kind === 'user') {
    const flags = (i.dest ? FOLL_WRITE : 0) | (i.nofault ? FOLL_NOFAULT : 0);
    const r = pinUserPages(ctx, w, { mm: seg.mm, vma: seg.vma }, flags, true);
    if (r.ret <= 0) return { ret: r.ret < 0 ? r.ret : -EFAULT, folios: [], grab };
    iovIterAdvance(i, 1);
    return { ret: 1, folios: r.folios, grab: 'pin' };
  }
  iovIterAdvance(i, 1);
  return { ret: 1, folios: [seg.folio], grab: 'none' };
}
