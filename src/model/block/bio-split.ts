import { bioFlags, type OwnBio } from '../include/blk_types.js';
import { fresh } from '../include/own.js';
import type { Bio } from '../include/blk_types.js';
import type { Ctx } from '../core/ctx.js';
import { ownArray, ownBio, type Draft } from '../core/cow.js';
import { bioPut, bioReleasePages, submitBio } from './bio.js';

/**
 * Bio cloning and splitting. A clone shares its source's bio_vec array and owns none of the pages: it
 * starts with no page-ownership flag (bio_init), only BIO_CLONED (__bio_clone), so bio_release_pages()
 * on it would release nothing from v6.5 (no BIO_PAGE_PINNED; the v8 proposal: "Cloning sets it to
 * 0") but put every page again before (no BIO_NO_PAGE_REF). A split is a clone chained to the bio it
 * was cut from (bio_chain): its completion only completes into the parent (bio_chain_endio), and the
 * parent's ->bi_end_io, run once when its own part and every chained part are done, releases the
 * pages once.
 */

/**
 * bio_alloc_clone(): a new bio over the same device blocks sharing `src`'s bio_vec array (each bvec
 * held by nobody: the source holds the pages).
 * MODEL: the clone covers the whole page (the data is one token per page); ->bi_end_io is the caller's.
 * @kernel block/bio.c:bio_alloc_clone
 */
export function bioAllocClone(ctx: Ctx, w: Draft, src: OwnBio): OwnBio {
  ctx.calls.push('bio_alloc_clone');
  const clone = fresh<Bio, OwnBio>({
    id: w.bios.length,
    op: src.op,
    bvecs: src.bvecs.map((bv) => ({ folio: bv.folio, grab: 'none' as const })),
    file: src.file,
    index: src.index,
    flags: bioFlags({ noPageRef: false, pagePinned: false, pageReffed: false, cloned: true }),
    state: 'building',
    error: false,
    endIo: src.endIo,
    dio: src.dio,
    tags: [],
    data: [],
    bounced: [],
    parent: null,
    remaining: 1,
  });
  ownArray(w, 'bios').push(clone);
  return clone;
}

/**
 * bio_chain(): `bio`'s completion completes into `parent` (bi_private, bio_chain_endio), and the
 * parent waits for one more completion (bio_inc_remaining).
 * @kernel block/bio.c:bio_chain
 */
export function bioChain(bio: OwnBio, parent: OwnBio): void {
  bio.parent = parent.id;
  bio.endIo = 'chain';
  parent.remaining += 1;
}

/**
 * bio_submit_split() / bio_split(): the front of `bio` up to a limit becomes a split clone chained to
 * it and is submitted; the rest (the parent, advanced) goes on (submit_bio_noacct).
 * MODEL: the device's limit (chunk_sectors or max_sectors, as a striped dm or md target sets) falls
 * inside the page, so both parts cover the one page; each part's transfer writes the page's token.
 * @kernel block/blk-merge.c:bio_submit_split
 */
export function bioSplitToLimits(ctx: Ctx, w: Draft, bioId: number): void {
  const bio = ownBio(w, bioId);
  ctx.calls.push('__bio_split_to_limits', 'bio_split');
  const split = bioAllocClone(ctx, w, bio);
  bioChain(split, bio);
  submitBio(ctx, w, split);
}

/**
 * __bio_chain_endio(): the split's status passes to the parent and the split is put; returns the parent,
 * which bio_endio() completes next. The split releases no page (a clone owns none); under the what-if
 * bio.cloneRelease=release it runs bio_release_pages() as its source would.
 * @kernel block/bio.c:__bio_chain_endio
 */
export function bioChainComplete(ctx: Ctx, w: Draft, bio: OwnBio): OwnBio {
  const parent = ownBio(w, bio.parent ?? -1);
  if (bio.error) parent.error = true;
  if (ctx.policies['bio.cloneRelease'] === 'release') bioReleasePages(ctx, w, bio, false);
  bioPut(bio);
  return parent;
}
