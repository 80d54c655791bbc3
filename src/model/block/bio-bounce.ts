import { setBioFlag, type OwnBio } from '../include/blk_types.js';
import { EFAULT, ENOMEM, type KernelResult } from '../include/errno.js';
import type { IovIter } from '../include/uio.js';
import { iovIterExtractPages, iovIterExtractWillPin } from '../lib/iov_iter.js';
import { copyFolioFromIter } from '../lib/iov_iter-copy.js';
import { folioAlloc, folioPut, isAnyZeroFolio, touchFreed } from '../mm/folio.js';
import { ZERO_DATA } from '../mm/filemap.js';
import type { Ctx } from '../core/ctx.js';
import { ownFolio, type Draft } from '../core/cow.js';
import { bioAddFolio, bioReleasePage, ioFolioMarkDirty } from './bio.js';

/**
 * bio_iov_iter_bounce() (v7.0): a write copies the iterator's data into folios the bio owns
 * (bio_iov_iter_bounce_write: the user pages are read, never grabbed, so a later store to them does
 * not reach the device); a read gives the device one bounce folio and keeps the iterator's pages,
 * extracted (pinned when user-backed, BIO_PAGE_PINNED) in the vecs after it, for the copy back
 * (bio_iov_iter_bounce_read). Returns 0 or -errno; on error nothing stays held.
 * MODEL: one page: one bounce folio (folio_alloc_greedy) per request.
 * @kernel block/bio.c:bio_iov_iter_bounce
 */
export function bioIovIterBounce(ctx: Ctx, w: Draft, bio: OwnBio, iter: IovIter): KernelResult {
  ctx.calls.push('bio_iov_iter_bounce');
  if (bio.op === 'write') return bioIovIterBounceWrite(ctx, w, bio, iter);
  return bioIovIterBounceRead(ctx, w, bio, iter);
}

/** @kernel block/bio.c:bio_iov_iter_bounce_write */
function bioIovIterBounceWrite(ctx: Ctx, w: Draft, bio: OwnBio, iter: IovIter): KernelResult {
  const folio = folioAlloc(w, 'small', 0, { type: 'none' }, ZERO_DATA);
  bioAddFolio(bio, folio.id, 'ref');
  const data = copyFolioFromIter(ctx, w, iter);
  if (data === null) {
    bioFreeFolios(ctx, w, bio);
    return -EFAULT;
  }
  folio.data = data;
  return 0;
}

/** @kernel block/bio.c:bio_iov_iter_bounce_read */
function bioIovIterBounceRead(ctx: Ctx, w: Draft, bio: OwnBio, iter: IovIter): KernelResult {
  const folio = folioAlloc(w, 'small', 0, { type: 'none' }, ZERO_DATA);
  const r = iovIterExtractPages(ctx, w, iter);
  if (r.ret <= 0) {
    folioPut(ctx, w, folio);
    return r.ret < 0 ? r.ret : -ENOMEM;
  }
  bio.bounced = r.folios.map((id) => ({ folio: id, grab: r.grab }));
  bioAddFolio(bio, folio.id, 'ref');
  if (iovIterExtractWillPin(iter)) setBioFlag(bio, 'pagePinned');
  return 0;
}

/** bio_free_folios(): put every bounce folio (the zero folios are never put). @kernel block/bio.c:bio_free_folios */
function bioFreeFolios(ctx: Ctx, w: Draft, bio: OwnBio): void {
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (!isAnyZeroFolio(f)) folioPut(ctx, w, f);
  }
}

/**
 * bio_iov_iter_unbounce(): a write frees its bounce folios; a read copies the bounce folio into the
 * kept pages unless the I/O failed (copy_to_iter through their kernel mapping, not the user's page
 * table), dirties them when asked, unpins them when BIO_PAGE_PINNED, and puts the bounce folio.
 * @kernel block/bio.c:bio_iov_iter_unbounce
 */
export function bioIovIterUnbounce(
  ctx: Ctx,
  w: Draft,
  bio: OwnBio,
  isError: boolean,
  markDirty: boolean,
): void {
  ctx.calls.push('bio_iov_iter_unbounce');
  if (bio.op === 'write') {
    bioFreeFolios(ctx, w, bio);
    return;
  }
  const bounce = bio.bvecs[0];
  const data = bounce === undefined ? ZERO_DATA : ownFolio(w, bounce.folio).data;
  for (const bv of bio.bounced) {
    const f = ownFolio(w, bv.folio);
    if (!isError && !touchFreed(ctx, f, 'cpu-write')) f.data = data;
    // bvec_unpin(): folio_mark_dirty_lock() then unpin_user_folio(); no compound special case.
    if (bio.flags.pagePinned) {
      if (markDirty && !isError)
        ioFolioMarkDirty(ctx, w, f, 'bio_iov_iter_unbounce', 'folio_mark_dirty_lock');
      bioReleasePage(ctx, w, bio, bv);
    }
  }
  if (bounce !== undefined) folioPut(ctx, w, ownFolio(w, bounce.folio));
}
