import type { OwnBio } from '../include/blk_types.js';
import type { Ctx } from '../core/ctx.js';
import type { Draft } from '../core/cow.js';
import { bioReleasePages, bioSetPagesDirty } from './bio.js';

/**
 * The completion of a read whose caller dirties the pages itself when it releases them: the kernel
 * passes mark_dirty to bio_release_pages(); under the what-if bio.releaseDirty=set-dirty-first (Al
 * Viro, seed 002) it calls bio_set_pages_dirty(bio) and then bio_release_pages(bio, false). Both dirty
 * each page before it is released, skip compound pages before v6.8 and run in process context: the
 * two differ only for a bio that owns no pages (bio_set_pages_dirty dirties them anyway), which a
 * user-backed read never is.
 * @kernel block/blk-map.c:blk_rq_unmap_user
 */
export function bioReleasePagesDirtied(ctx: Ctx, w: Draft, bio: OwnBio, markDirty: boolean): void {
  if (markDirty && ctx.policies['bio.releaseDirty'] === 'set-dirty-first') {
    bioSetPagesDirty(ctx, w, bio);
    bioReleasePages(ctx, w, bio, false);
    return;
  }
  bioReleasePages(ctx, w, bio, markDirty);
}
