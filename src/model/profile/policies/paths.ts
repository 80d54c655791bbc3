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
  'netfs.dioGrab': policy({
    doc: "How NFS and ceph O_DIRECT (fs/nfs/direct.c, fs/ceph/file.c) grab the pages: FOLL_GET references through iov_iter_get_pages_alloc2 / iov_iter_get_pages2 (with an nfs_page reference of their own for NFS) in every release, or 'pin', a what-if conversion to iov_iter_extract_pages() as the block layer had in v6.5: user pages pinned and unpinned on completion, ITER_BVEC pages only listed (seed 004: their owner must then keep them alive).",
    kernel: 'fs/nfs/direct.c:nfs_direct_read_schedule_iovec',
    values: ['get', 'pin'],
    history: [
      {
        since: 'v4.19',
        value: 'get',
        commit:
          'iov_iter_get_pages_alloc (5.10) / iov_iter_get_pages_alloc2 in nfs_direct_{read,write}_schedule_iovec and iov_iter_get_pages(2) in ceph __iter_get_bvecs: the 5.10, 6.1, 6.12 and 7.2 trees',
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
