import type { Own } from './own.js';

/**
 * struct bio and the direct-I/O control blocks that own bios, as plain data.
 * @kernel include/linux/blk_types.h
 */

/** Ghost field: how a bvec's page was grabbed when it was added (not in the kernel; for the invariants). */
export type BvecGrab = 'ref' | 'pin' | 'none';

/** struct bio_vec. MODEL: one whole folio per bvec. */
export interface Bvec {
  readonly folio: number;
  readonly grab: BvecGrab;
}

/** The bio flags that say how its pages are released (which exist depends on bio.pageFlags). */
/** A bio's bi_flags. Replaced, never written (setBioFlag), as a folio's flags are. */
export interface BioFlags {
  readonly noPageRef: boolean; // BIO_NO_PAGE_REF (v5.1-v6.4)
  readonly pagePinned: boolean; // BIO_PAGE_PINNED (v6.5; the v8 proposal)
  readonly pageReffed: boolean; // BIO_PAGE_REFFED (v6.5 development cycle; the v8 proposal)
  readonly cloned: boolean; // BIO_CLONED: borrows another bio's or the iterator's bvec array
}

/** A bio's flags as a new object (bio_alloc()'s and setBioFlag's: one V8 shape). */
export function bioFlags(f: BioFlags): BioFlags {
  return { noPageRef: f.noPageRef, pagePinned: f.pagePinned, pageReffed: f.pageReffed, cloned: f.cloned };
}

/** bio_set_flag(): set one flag of a step's copy of a bio. @kernel include/linux/bio.h:bio_set_flag */
export function setBioFlag(b: OwnBio, flag: keyof BioFlags): void {
  if (b.flags[flag]) return;
  const next: { -readonly [K in keyof BioFlags]: boolean } = bioFlags(b.flags);
  next[flag] = true;
  b.flags = next;
}

/** Who handles a bio's completion (bi_end_io), which says how its pages are released. */
export type BioEndIo =
  | 'blkdev-simple' // __blkdev_direct_IO_simple: on-stack bio, the submitter waits and releases
  | 'blkdev' // blkdev_bio_end_io (multi-bio, sync or async)
  | 'blkdev-async' // blkdev_bio_end_io_async
  | 'iomap' // iomap_dio_bio_end_io
  | 'iomap-bounce' // iomap_dio_bio_end_io of an IOMAP_DIO_BOUNCE request: bio_iov_iter_unbounce (v7.0)
  | 'legacy' // dio_bio_end_io / dio_bio_end_aio (fs/direct-io.c)
  | 'writeback' // end_bio_bh_io_sync / iomap_writepage_end_bio: folio_end_writeback
  | 'nfs-read' // nfs_direct_read_completion (the READ RPC's reply landed; MODEL: the RPC stands as a bio)
  | 'nfs-write' // nfs_direct_write_completion (the WRITE RPC's reply)
  | 'ceph' // the OSD reply: ceph_aio_complete_req (async) or waking ceph_osdc_wait_request (sync)
  | 'sg-io' // blk_end_sync_rq: a passthrough request (SG_IO) wakes its waiter, which unmaps
  | 'chain'; // bio_chain_endio: a split (or a clone chained to its source) completes into its parent

/** Where a bio is in its life. */
export type BioState =
  | 'building' // allocated, pages being added, not submitted
  | 'in-flight' // submitted; the device has not transferred it yet
  | 'transferred' // the device did the DMA; completion (bio_endio) not yet run
  | 'completed' // bi_end_io ran; for a legacy sync or simple bio the submitter still releases it
  | 'dirty-list' // on bio_dirty_list, waiting for bio_dirty_fn
  | 'chained' // its own transfer completed; bio_endio waits for the bios chained to it (__bi_remaining)
  | 'put'; // released and bio_put

export interface Bio {
  readonly id: number;
  readonly op: 'read' | 'write';
  readonly bvecs: readonly Bvec[];
  /** The device blocks: page `index` of file `file` (the file's on-disk pages), one per bvec from there. */
  readonly file: number;
  readonly index: number;
  readonly flags: BioFlags;
  readonly state: BioState;
  /** bi_status != BLK_STS_OK (the device failed it: an integrity guard error). */
  readonly error: boolean;
  readonly endIo: BioEndIo;
  /** The direct-I/O control block (bi_private), or null for writeback bios. */
  readonly dio: number | null;
  /** Integrity guard tags (DIF/DIX) computed at submission for writes when the device has integrity. */
  readonly tags: readonly (string | null)[];
  /** What the device DMA'd into each page (reads) or read from each page (writes), once transferred. */
  readonly data: readonly (string | null)[];
  /**
   * A bounced read's user pages (bio_iov_iter_bounce_read() keeps them in bi_io_vec[1..], after the
   * bounce folio the device fills); empty for every other bio.
   */
  readonly bounced: readonly Bvec[];
  /** bi_private of a bio chained by bio_chain(): the bio its completion completes into, or null. */
  readonly parent: number | null;
  /** __bi_remaining: completions (its own and its chained bios') before ->bi_end_io runs. */
  readonly remaining: number;
}

/** A step's own copy of a bio (ownBio). */
export type OwnBio = Own<
  Bio,
  'bvecs' | 'flags' | 'state' | 'error' | 'tags' | 'data' | 'endIo' | 'bounced' | 'parent' | 'remaining'
>;

/** The direct-I/O implementations and their sub-paths; nfs and ceph send the pages to a server. */
export type DioPath = 'blkdev' | 'blkdev-multi' | 'iomap' | 'legacy' | 'nfs' | 'ceph' | 'blkdev-split';

/**
 * struct blkdev_dio / struct iomap_dio / struct dio: one direct-I/O request and its bios.
 * MODEL: one bio per request (one page).
 */
export interface Dio {
  readonly id: number;
  readonly path: DioPath;
  readonly op: 'read' | 'write';
  readonly async: boolean;
  /** should_dirty / DIO_SHOULD_DIRTY / IOMAP_DIO_DIRTY: a read into a user-backed iterator. */
  readonly shouldDirty: boolean;
  /** fs/direct-io.c dio->is_pinned (will_pin), for its own release. */
  readonly bios: readonly number[];
  /** dio->ref: bios not yet completed. */
  readonly pending: number;
  /** ki_complete ran (async), or the waiter was woken (sync). */
  readonly done: boolean;
  readonly ret: number | null;
  /**
   * The write's invalidation of the page cache over what it wrote still has to run: the page was under
   * writeback when the last bio completed, and invalidate_inode_pages2_range() waits for that first.
   */
  readonly invalidate: boolean;
  /** The actor that submitted it (and waits for it, or reaps its completion), and the handle name. */
  readonly actor: number;
  readonly name: string;
  /** For reads into user memory: the process and buffer the caller expects the data in. */
  readonly mm: number | null;
  readonly buf: string | null;
}

/** A step's own copy of a dio (ownDio). */
export type OwnDio = Own<Dio, 'bios' | 'pending' | 'done' | 'ret' | 'invalidate'>;
