import { policy } from '../policy.js';

/**
 * Behaviours of the I/O paths added for the seeds' remaining claims (passthrough SG_IO, bio cloning and
 * splitting): what-if switches that no release has (a single history entry).
 */
export const PATH_POLICIES = {
  'bio.releaseDirty': policy({
    doc: "How the two callers that pass mark_dirty=true to bio_release_pages() (blk_rq_unmap_user for a passthrough read, __blkdev_direct_IO_simple for a sync O_DIRECT read into user memory) dirty the pages: through the argument, or 'set-dirty-first', Al Viro's proposal (seed 002): bio_set_pages_dirty(bio) then bio_release_pages(bio, false), which drops the argument.",
    kernel: 'block/blk-map.c:blk_rq_unmap_user',
    values: ['mark-dirty', 'set-dirty-first'],
    history: [
      {
        since: 'v4.19',
        value: 'mark-dirty',
        commit:
          'bio_release_pages(bio, bio_data_dir(bio) == READ) in blk_rq_unmap_user (bio_unmap_user in 5.10) and bio_release_pages(bio, dio->should_dirty) in __blkdev_direct_IO_simple: the 5.10, 6.1, 6.12 and 7.2 trees',
        confidence: 'H',
      },
    ],
  }),
} as const;
