import {
  bioFlags,
  setBioFlag,
  type Bio,
  type BioEndIo,
  type BioFlags,
  type Bvec,
  type BvecGrab,
  type OwnBio,
} from '../include/blk_types.js';
import { type KernelResult } from '../include/errno.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import type { OwnFolio } from '../include/mm_types.js';
import type { IovIter } from '../include/uio.js';
import {
  iovIterAdvance,
  iovIterExtractPages,
  iovIterExtractWillPin,
  iovIterGetPages2,
} from '../lib/iov_iter.js';
import { folioMarkDirty, folioTestLarge, touchFreed } from '../mm/folio.js';
import { putPage, unpinUserPage } from '../mm/gup.js';
import type { Ctx } from '../core/ctx.js';
import { fresh } from '../include/own.js';
import { ownArray, ownBio, ownFile, ownFolio, type Draft } from '../core/cow.js';

/** A new bio's flags: none set. */
const NO_BIO_FLAGS: BioFlags = { noPageRef: false, pagePinned: false, pageReffed: false, cloned: false };

/**
 * bio_alloc(): a new bio for `op` on the device blocks of page `index` of file `file`, with no pages
 * and no page-ownership flag yet.
 * @kernel block/bio.c:bio_alloc_bioset
 */
export function bioAlloc(
  w: Draft,
  op: 'read' | 'write',
  file: number,
  index: number,
  endIo: BioEndIo,
  dio: number | null,
): OwnBio {
  const bio = fresh<Bio, OwnBio>({
    id: w.bios.length,
    op,
    bvecs: [],
    file,
    index,
    flags: bioFlags(NO_BIO_FLAGS),
    state: 'in-flight',
    error: false,
    endIo,
    dio,
    tags: [],
    data: [],
    bounced: [],
    parent: null,
    remaining: 1,
  });
  bio.state = 'building';
  ownArray(w, 'bios').push(bio);
  return bio;
}

/** bio_add_folio(): append a page; `grab` records (ghost) how the caller holds it. @kernel block/bio.c:bio_add_folio */
export function bioAddFolio(bio: OwnBio, folio: number, grab: BvecGrab): void {
  bio.bvecs.push({ folio, grab });
}

/**
 * bio_iov_bvec_set(): the bio borrows the iterator's bvec array; no page is referenced or pinned
 * (BIO_NO_PAGE_REF says so from v5.1 to v6.4; from v6.5 the absence of BIO_PAGE_PINNED does).
 * The bvec owner must keep the pages alive until the I/O completes (Al Viro, seed 004).
 * @kernel block/bio.c:bio_iov_bvec_set
 */
export function bioIovBvecSet(ctx: Ctx, bio: OwnBio, iter: IovIter): void {
  ctx.calls.push('bio_iov_bvec_set');
  for (let k = iter.pos; k < iter.segs.length; k++) {
    const seg = iter.segs[k];
    if (seg?.kind === 'page') bioAddFolio(bio, seg.folio, 'none');
  }
  if (ctx.policies['bio.pageFlags'] === 'no-page-ref') setBioFlag(bio, 'noPageRef');
  setBioFlag(bio, 'cloned');
  iovIterAdvance(iter, iter.segs.length);
}

/**
 * How bio_iov_iter_get_pages() / dio_refill_pages() grab the pages of a non-borrowed iterator: FOLL_GET
 * references (iov_iter_get_pages2) or, since v6.5, iov_iter_extract_pages (pin user-backed, list the
 * rest); then the bio flag that says how to release them. Returns the number of pages, or -errno.
 * MODEL: under the what-if dio.extract=get on v6.5+, the bio gets BIO_PAGE_REFFED (the v6.5
 * development-cycle flag) so that the references are put.
 * @kernel block/bio.c:__bio_iov_iter_get_pages
 */
export function bioGrabIterPages(ctx: Ctx, w: Draft, bio: OwnBio, iter: IovIter): KernelResult {
  const regime = ctx.policies['bio.pageFlags'];
  const extract = ctx.policies['dio.extract'] === 'pin';
  if (extract && iovIterExtractWillPin(iter) && (regime === 'pinned' || regime === 'reffed-pinned'))
    setBioFlag(bio, 'pagePinned');
  let n = 0;
  while (iter.pos < iter.segs.length) {
    const r = extract ? iovIterExtractPages(ctx, w, iter) : iovIterGetPages2(ctx, w, iter);
    if (r.ret < 0) {
      // The pages added so far are released by the caller (bio_release_pages on the error path).
      return n > 0 ? n : r.ret;
    }
    for (const id of r.folios) bioAddFolio(bio, id, r.grab);
    n += r.folios.length;
    if (r.grab === 'ref' && (regime === 'pinned' || regime === 'reffed-pinned'))
      setBioFlag(bio, 'pageReffed');
    if (r.grab === 'none' && regime === 'no-page-ref') setBioFlag(bio, 'noPageRef');
  }
  return n;
}

/**
 * bio_iov_iter_get_pages(): ITER_BVEC iterators are borrowed (bio_iov_bvec_set) from v5.1; before
 * that their pages were referenced like any other. Everything else goes through bioGrabIterPages.
 * @kernel block/bio.c:bio_iov_iter_get_pages
 */
export function bioIovIterGetPages(ctx: Ctx, w: Draft, bio: OwnBio, iter: IovIter): KernelResult {
  ctx.calls.push('bio_iov_iter_get_pages');
  if (iter.type === 'bvec' && ctx.policies['bio.pageFlags'] !== 'none') {
    const n = iter.segs.length - iter.pos;
    bioIovBvecSet(ctx, bio, iter);
    return n;
  }
  return bioGrabIterPages(ctx, w, bio, iter);
}

/** Whether bio_release_pages() releases anything for this bio under the profile's flag regime. */
function bioOwnsPages(ctx: Ctx, bio: OwnBio): boolean {
  switch (ctx.policies['bio.pageFlags']) {
    case 'none':
      return true;
    case 'no-page-ref':
      return !bio.flags.noPageRef;
    case 'pinned':
    case 'reffed-pinned':
      return bio.flags.pagePinned || bio.flags.pageReffed;
  }
}

/**
 * bio_release_page() / folio_put_unpin(): drop one page the way the bio's flags say (unpin when
 * BIO_PAGE_PINNED, put otherwise), reporting a release that does not match how the page was grabbed
 * (the bvec's ghost field).
 * @kernel block/blk.h:bio_release_page
 */
export function bioReleasePage(ctx: Ctx, w: Draft, bio: OwnBio, bv: Bvec): void {
  const f = ownFolio(w, bv.folio);
  const unpin = bio.flags.pagePinned;
  if (bv.grab === 'none')
    ctx.events.push({ type: 'counter-mismatch', folio: f.id, what: 'release-of-unheld' });
  else if (unpin && bv.grab === 'ref')
    ctx.events.push({ type: 'counter-mismatch', folio: f.id, what: 'unpin-of-ref' });
  else if (!unpin && bv.grab === 'pin')
    ctx.events.push({ type: 'counter-mismatch', folio: f.id, what: 'put-of-pin' });
  if (unpin) unpinUserPage(ctx, w, f);
  else putPage(ctx, w, f);
}

/** Whether the bio dirtying helpers skip this folio (compound pages before v6.8). */
function skipCompound(ctx: Ctx, f: OwnFolio): boolean {
  return folioTestLarge(f) && ctx.policies['bio.dirtyCompound'] === 'skip';
}

/**
 * set_page_dirty_lock() / folio_mark_dirty() from an I/O path (DMA then dirty): no ->page_mkwrite ran
 * for this. A page-cache folio of a filesystem with writeback that was clean (written back since the
 * last page_mkwrite) is reported as dirtied without the filesystem's knowledge. `fn` names the caller
 * for that report; `mark` the dirtying function the caller calls (a call of the step: the block
 * layer's helpers call it folio_mark_dirty, which model/profile/names.ts spells per release).
 * @kernel mm/page-writeback.c:set_page_dirty_lock
 */
export function ioFolioMarkDirty(ctx: Ctx, w: Draft, f: OwnFolio, fn: string, mark: string): void {
  ctx.calls.push(mark);
  if (touchFreed(ctx, f, 'cpu-write')) return;
  if (f.owner.type === 'file' && !f.flags.dirty) {
    const file = ownFile(w, f.owner.file);
    if (!fileIsMemoryBacked(file) && file.fs !== 'bdev')
      ctx.events.push({ type: 'dirty-without-fs', folio: f.id, buffers: f.flags.buffers, fn });
  }
  folioMarkDirty(f);
}

/**
 * bio_release_pages(bio, mark_dirty): release every page the bio owns (nothing for a borrowed or
 * listed-only bio), dirtying each first when asked. Compound pages were not dirtied before v6.8.
 * @kernel include/linux/bio.h:bio_release_pages
 */
export function bioReleasePages(ctx: Ctx, w: Draft, bio: OwnBio, markDirty: boolean): void {
  ctx.calls.push('bio_release_pages');
  if (!bioOwnsPages(ctx, bio)) return;
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (markDirty && !skipCompound(ctx, f))
      ioFolioMarkDirty(ctx, w, f, 'bio_release_pages', 'folio_mark_dirty');
    bioReleasePage(ctx, w, bio, bv);
  }
}

/** bio_put(): the bio is gone. @kernel block/bio.c:bio_put */
export function bioPut(bio: OwnBio): void {
  bio.state = 'put';
}

/**
 * bio_set_pages_dirty(): dirty every page before a DIO read is submitted (completion runs in IRQ
 * context and cannot dirty). Compound pages were skipped before v6.8.
 * @kernel block/bio.c:bio_set_pages_dirty
 */
export function bioSetPagesDirty(ctx: Ctx, w: Draft, bio: OwnBio): void {
  ctx.calls.push('bio_set_pages_dirty');
  for (const bv of bio.bvecs) {
    const f = ownFolio(w, bv.folio);
    if (!skipCompound(ctx, f) && !f.flags.dirty)
      ioFolioMarkDirty(ctx, w, f, 'bio_set_pages_dirty', 'folio_mark_dirty');
  }
}

/**
 * bio_check_pages_dirty(): takes ownership of the bio. If every page is still dirty, release it now;
 * if writeback cleaned one meanwhile, queue the bio on bio_dirty_list for bio_dirty_fn (process
 * context) to re-dirty and release.
 * @kernel block/bio.c:bio_check_pages_dirty
 */
export function bioCheckPagesDirty(ctx: Ctx, w: Draft, bio: OwnBio): void {
  ctx.calls.push('bio_check_pages_dirty');
  const clean = bio.bvecs.some((bv) => {
    const f = ownFolio(w, bv.folio);
    return !f.flags.dirty && !skipCompound(ctx, f);
  });
  if (clean) {
    bio.state = 'dirty-list';
    ownArray(w, 'bioDirtyList').push(bio.id); // schedule_work(&bio_dirty_work)
    return;
  }
  bioReleasePages(ctx, w, bio, false);
  bioPut(bio);
}

/**
 * bio_dirty_fn(): the deferred work item: re-dirty and release every bio on bio_dirty_list.
 * @kernel block/bio.c:bio_dirty_fn
 */
export function bioDirtyFn(ctx: Ctx, w: Draft): number[] {
  const list = w.bioDirtyList;
  w.bioDirtyList = [];
  const touched: number[] = [];
  for (const id of list) {
    const bio = ownBio(w, id);
    touched.push(...bio.bvecs.map((b) => b.folio));
    bioReleasePages(ctx, w, bio, true);
    bioPut(bio);
  }
  return touched;
}

/**
 * submit_bio(): queue the bio on the device. With integrity (bio_integrity_prep) a write's guard tags
 * are computed from the pages now. MODEL: a tag is the page's contents token.
 * @kernel block/blk-core.c:submit_bio
 */
export function submitBio(ctx: Ctx, w: Draft, bio: OwnBio): void {
  ctx.calls.push('submit_bio');
  const file = ownFile(w, bio.file);
  bio.tags = bio.bvecs.map((bv) =>
    bio.op === 'write' && file.integrity ? ownFolio(w, bv.folio).data : null,
  );
  bio.data = bio.bvecs.map(() => null);
  bio.state = 'in-flight';
}
