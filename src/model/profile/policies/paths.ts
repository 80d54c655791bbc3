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
  'bio.cloneRelease': policy({
    doc: "What a split or cloned bio's completion does with the pages it shares with its source: nothing (the kernel: bio_chain_endio, dm's clone_endio), or 'release', a what-if in which it calls bio_release_pages() itself: the source's completion releases them again, a double release up to v6.4 (a clone has no BIO_NO_PAGE_REF) and a no-op from v6.5 (no BIO_PAGE_PINNED) and in the v8 proposal (\"Cloning sets it to 0\").",
    kernel: 'block/bio.c:__bio_chain_endio',
    values: ['none', 'release'],
    history: [
      {
        since: 'v4.19',
        value: 'none',
        commit:
          '__bio_chain_endio() only passes the status on and puts the split; __bio_clone() sets BIO_CLONED and copies no page-ownership flag: the 5.10, 6.1, 6.12 and 7.2 trees',
        confidence: 'H',
      },
    ],
  }),
} as const;
