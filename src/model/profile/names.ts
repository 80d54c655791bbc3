import type { Confidence } from './policy.js';
import { compareReleases, releaseAtLeast, type Release } from './release.js';

/** One spelling of a function, from the first mainline release that has it. */
export interface NameChange {
  readonly since: Release;
  readonly name: string;
  /** The commit subject (and id when known) that gave the function this name. */
  readonly commit: string;
  readonly confidence: Confidence;
}

/**
 * A kernel function the model names under one identity (the name a step or a call of the model
 * carries) whose name changed across releases, or which is another function on older releases (the
 * one that did its work then). Oldest first; the first entry's `since` is the oldest release pinlab
 * models. docs/kernel-audit/names.md gives the tree line that confirms each spelling.
 */
export interface FunctionNames {
  readonly doc: string;
  readonly history: readonly NameChange[];
}

/**
 * The functions whose names changed, by the identity the model emits. An identity names one call
 * site's function where a rename was not global: `folio_mark_dirty` is what the block layer's dirty
 * helpers (bio_release_pages, bio_set_pages_dirty, bio_dirty_fn) call; NFS (set_page_dirty) and ceph
 * (set_page_dirty_lock) emit their own names, unchanged in every release pinlab models.
 */
export const FUNCTION_NAMES: Readonly<Record<string, FunctionNames>> = {
  iov_iter_get_pages2: {
    doc: 'The advancing FOLL_GET extraction of an iterator (lib/iov_iter.c).',
    history: [
      { since: 'v4.19', name: 'iov_iter_get_pages', commit: 'the non-advancing original', confidence: 'H' },
      {
        since: 'v6.0',
        name: 'iov_iter_get_pages2',
        commit:
          'iov_iter: advancing variants of iov_iter_get_pages{,_alloc}(); get rid of non-advancing variants (eba2d3d79829)',
        confidence: 'H',
      },
    ],
  },
  iov_iter_get_pages_alloc2: {
    doc: 'The advancing FOLL_GET extraction into an array it allocates (lib/iov_iter.c), as NFS O_DIRECT calls it.',
    history: [
      {
        since: 'v4.19',
        name: 'iov_iter_get_pages_alloc',
        commit: 'the non-advancing original',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        name: 'iov_iter_get_pages_alloc2',
        commit:
          'iov_iter: advancing variants of iov_iter_get_pages{,_alloc}(); get rid of non-advancing variants (eba2d3d79829)',
        confidence: 'H',
      },
    ],
  },
  get_user_pages_longterm: {
    doc: 'A longterm FOLL_GET grab (a driver or RDMA registering memory): its own entry point, then a flag.',
    history: [
      {
        since: 'v4.19',
        name: 'get_user_pages_longterm',
        commit: 'mm: introduce get_user_pages_longterm() (v4.15)',
        confidence: 'H',
      },
      {
        since: 'v5.2',
        name: 'get_user_pages',
        commit: 'mm/gup: replace get_user_pages_longterm() with FOLL_LONGTERM (932f4a630a69)',
        confidence: 'M',
      },
    ],
  },
  __blkdev_direct_IO_async: {
    doc: 'An async O_DIRECT request that fits one bio: before its own helper it took the multi-bio path.',
    history: [
      { since: 'v4.19', name: '__blkdev_direct_IO', commit: 'the multi-bio path served it', confidence: 'H' },
      {
        since: 'v5.16',
        name: '__blkdev_direct_IO_async',
        commit: 'block: add single bio async direct IO helper (54a88eb838d3)',
        confidence: 'H',
      },
    ],
  },
  blkdev_bio_end_io_async: {
    doc: "The completion of that single-bio async request: blkdev_bio_end_io's, before its own helper.",
    history: [
      { since: 'v4.19', name: 'blkdev_bio_end_io', commit: 'the multi-bio path served it', confidence: 'H' },
      {
        since: 'v5.16',
        name: 'blkdev_bio_end_io_async',
        commit: 'block: add single bio async direct IO helper (54a88eb838d3)',
        confidence: 'H',
      },
    ],
  },
  submit_bio_wait_endio: {
    doc: '->bi_end_io of the simple (sync, one bio) block-device O_DIRECT path: it wakes the submitter.',
    history: [
      {
        since: 'v4.19',
        name: 'blkdev_bio_end_io_simple',
        commit: '__blkdev_direct_IO_simple set its own end_io and waited itself',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        name: 'submit_bio_wait_endio',
        commit: 'block: ignore RWF_HIPRI hint for sync dio (9650b453a3d4): submit_bio_wait()',
        confidence: 'M',
      },
      {
        since: 'v7.1',
        name: 'bio_wait_end_io',
        commit:
          'block: factor out a bio_await helper; block: unify the synchronous bi_end_io callbacks (65565ca5f99b)',
        confidence: 'M',
      },
    ],
  },
  submit_bio_wait: {
    doc: 'Where the simple block-device O_DIRECT submitter sleeps until its bio completes.',
    history: [
      {
        since: 'v4.19',
        name: '__blkdev_direct_IO_simple',
        commit: 'its own wait loop (io_schedule / blk_io_schedule)',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        name: 'submit_bio_wait',
        commit: 'block: ignore RWF_HIPRI hint for sync dio (9650b453a3d4)',
        confidence: 'M',
      },
    ],
  },
  __iomap_dio_rw: {
    doc: 'Where a sync iomap O_DIRECT caller sleeps until its bios complete.',
    history: [
      { since: 'v4.19', name: 'iomap_dio_rw', commit: 'the wait loop was in iomap_dio_rw', confidence: 'H' },
      {
        since: 'v5.10',
        name: '__iomap_dio_rw',
        commit: 'iomap: Allow filesystem to call iomap_dio_complete without i_rwsem (c3d4ed1abecf)',
        confidence: 'H',
      },
    ],
  },
  folio_mark_dirty: {
    doc: 'How the block layer dirty helpers (bio_release_pages, bio_set_pages_dirty, bio_dirty_fn) dirty a page.',
    history: [
      {
        since: 'v4.19',
        name: 'set_page_dirty_lock',
        commit: 'per page, compound pages skipped',
        confidence: 'H',
      },
      {
        since: 'v6.8',
        name: 'folio_mark_dirty',
        commit: 'block: Remove special-casing of compound pages (1b151e2435fc): per folio, under folio_lock',
        confidence: 'H',
      },
    ],
  },
  folio_put: {
    doc: "Dropping the speculative reference a lookup took (the try-get op's second step).",
    history: [
      { since: 'v4.19', name: 'put_page', commit: 'the page API: put_page()', confidence: 'H' },
      { since: 'v5.16', name: 'folio_put', commit: 'mm: Add folio_put() (b620f63358cd)', confidence: 'M' },
    ],
  },
  folio_try_get: {
    doc: "A lookup's speculative reference: taken unless the count is already zero.",
    history: [
      {
        since: 'v4.19',
        name: 'get_page_unless_zero',
        commit: 'the page API: get_page_unless_zero()',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        name: 'folio_try_get',
        commit: 'mm: Add folio_try_get_rcu() (020853b6f5ea), which added folio_try_get() too',
        confidence: 'M',
      },
    ],
  },
  folio_clear_dirty_for_io: {
    doc: "Writeback clearing a page's dirty bit before it starts I/O.",
    history: [
      {
        since: 'v4.19',
        name: 'clear_page_dirty_for_io',
        commit: 'the page API: clear_page_dirty_for_io()',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        name: 'folio_clear_dirty_for_io',
        commit: 'mm/writeback: Add folio_clear_dirty_for_io() (9350f20a070d)',
        confidence: 'M',
      },
    ],
  },
  folio_start_writeback: {
    doc: 'Writeback marking a page under writeback.',
    history: [
      {
        since: 'v4.19',
        name: 'set_page_writeback',
        commit: 'the page API: set_page_writeback()',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        name: 'folio_start_writeback',
        commit: 'mm/writeback: Add __folio_start_writeback() (f143f1ea5a53)',
        confidence: 'M',
      },
    ],
  },
  folio_end_writeback: {
    doc: "The end of a page's writeback, from the write bio's completion.",
    history: [
      {
        since: 'v4.19',
        name: 'end_page_writeback',
        commit: 'the page API: end_page_writeback()',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        name: 'folio_end_writeback',
        commit: 'mm/filemap: Add folio_end_writeback() (4268b48077e5)',
        confidence: 'M',
      },
    ],
  },
  kmap_local_folio: {
    doc: 'A CPU mapping of a page to read what it holds (the peek op).',
    history: [
      {
        since: 'v4.19',
        name: 'kmap_atomic',
        commit: 'kmap_atomic(): no kmap_local_* yet (none in the 5.10 tree)',
        confidence: 'H',
      },
      {
        since: 'v5.11',
        name: 'kmap_local_page',
        commit: 'highmem: Provide kmap_local* (f3ba3c710ac5)',
        confidence: 'M',
      },
      {
        since: 'v5.16',
        name: 'kmap_local_folio',
        commit: 'mm: Add kmap_local_folio() (53c36de0701f)',
        confidence: 'M',
      },
    ],
  },
  filemap_read: {
    doc: 'The page-cache read of a buffered read(): copy a cached page, reading it in first.',
    history: [
      {
        since: 'v4.19',
        name: 'generic_file_buffered_read',
        commit: 'generic_file_buffered_read() (the 5.10 tree, mm/filemap.c)',
        confidence: 'H',
      },
      {
        since: 'v5.12',
        name: 'filemap_read',
        commit: 'mm/filemap: rename generic_file_buffered_read to filemap_read (87fa0f3eb267)',
        confidence: 'H',
      },
    ],
  },
  filemap_release_folio: {
    doc: "Reclaim asking the filesystem to drop a clean page's private data.",
    history: [
      {
        since: 'v4.19',
        name: 'try_to_release_page',
        commit: 'try_to_release_page() (the 5.10 tree, shrink_page_list)',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        name: 'filemap_release_folio',
        commit:
          'filemap: Add filemap_release_folio() (82c50f8b4433) added the helper; when reclaim called it instead of try_to_release_page() is dated only by the trees (release unread)',
        confidence: 'L',
      },
    ],
  },
  shrink_folio_list: {
    doc: "Reclaim's walk over an isolated list, which unmaps, writes back or frees each page.",
    history: [
      {
        since: 'v4.19',
        name: 'shrink_page_list',
        commit: 'shrink_page_list() (the 5.10 tree, mm/vmscan.c)',
        confidence: 'H',
      },
      {
        since: 'v6.1',
        name: 'shrink_folio_list',
        commit:
          'mm/vmscan: fix a lot of comments (49fd9b6df54e), which renamed shrink_page_list() to shrink_folio_list()',
        confidence: 'M',
      },
    ],
  },
  hugetlb_wp: {
    doc: 'The hugetlb write fault on a read-only entry: reuse or copy.',
    history: [
      {
        since: 'v4.19',
        name: 'hugetlb_cow',
        commit: 'hugetlb_cow() (the 5.10 tree, mm/hugetlb.c)',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        name: 'hugetlb_wp',
        commit: 'mm/hugetlb: rename hugetlb_cow() to hugetlb_wp() (371607a3c793)',
        confidence: 'M',
      },
    ],
  },
  do_vmi_munmap: {
    doc: 'munmap() taking a range out of the address space.',
    history: [
      { since: 'v4.19', name: 'do_munmap', commit: 'do_munmap()', confidence: 'M' },
      {
        since: 'v4.20',
        name: '__do_munmap',
        commit: 'mm: mmap: zap pages with read mmap_sem in munmap (dd2283f2605e)',
        confidence: 'M',
      },
      {
        since: 'v6.1',
        name: 'do_mas_munmap',
        commit: 'mm/mmap: reorganize munmap to use maple states (11f9a21ab655)',
        confidence: 'M',
      },
      {
        since: 'v6.2',
        name: 'do_vmi_munmap',
        commit: 'mmap: change do_mas_munmap and do_mas_aligned_munmap() to use vma iterator (183654ce26a5)',
        confidence: 'M',
      },
    ],
  },
  copy_folio_from_iter: {
    doc: "The CPU copy of an iterator's data into a page (run only where the bounce path exists, v7.0 on).",
    history: [
      { since: 'v4.19', name: 'copy_page_from_iter', commit: 'copy_page_from_iter()', confidence: 'H' },
      {
        since: 'v6.12',
        name: 'copy_folio_from_iter',
        commit: 'iov_iter: Provide copy_folio_from_iter() (netfs pull, Sep 2024; as iov.folioq)',
        confidence: 'M',
      },
    ],
  },
  bio_alloc_clone: {
    doc: 'The clone of a bio that a split or a stacking driver submits.',
    history: [
      {
        since: 'v4.19',
        name: 'bio_clone_fast',
        commit: 'bio_clone_fast() (the 5.10 tree, block/bio.c)',
        confidence: 'H',
      },
      {
        since: 'v5.18',
        name: 'bio_alloc_clone',
        commit:
          'subject unread: bio_clone_fast() became bio_alloc_clone() in the 5.18 bio allocation rework (the 6.1 tree has it)',
        confidence: 'L',
      },
    ],
  },
  bio_iov_bvec_set: {
    doc: "How a bio takes an ITER_BVEC's pages without references (BIO_NO_PAGE_REF, then no BIO_PAGE_PINNED): bio_iov_iter_get_pages() added them one bvec at a time with bio_add_page(), then the bio borrows the iterator's bvec array whole.",
    history: [
      {
        since: 'v4.19',
        name: '__bio_iov_bvec_add_pages',
        commit:
          'bio_iov_iter_get_pages() -> __bio_iov_bvec_add_pages() (the 5.10 tree, block/bio.c:964; the model references ITER_BVEC pages before v5.1 and never emits it there)',
        confidence: 'M',
      },
      {
        since: 'v5.12',
        name: 'bio_iov_bvec_set',
        commit:
          "bio: don't copy bvec for direct IO (c42bca92be92, for-5.12/block; the 6.1 tree, block/bio.c:1129)",
        confidence: 'M',
      },
    ],
  },
  __bio_split_to_limits: {
    doc: 'Where the block layer splits a bio that exceeds the queue limits.',
    history: [
      { since: 'v4.19', name: 'blk_queue_split', commit: 'blk_queue_split()', confidence: 'M' },
      {
        since: 'v5.1',
        name: '__blk_queue_split',
        commit: 'block: remove the bi_phys_segments field in struct bio (14ccb66b3f58)',
        confidence: 'L',
      },
      {
        since: 'v6.0',
        name: '__bio_split_to_limits',
        commit: 'block: pass struct queue_limits to the bio splitting helpers (5a97806f7dc0)',
        confidence: 'M',
      },
    ],
  },
  pipe_read: {
    doc: 'The read of an anonymous pipe (the pipe a vmsplice or splice fills).',
    history: [
      {
        since: 'v4.19',
        name: 'pipe_read',
        commit: 'pipe_read(), for pipes and FIFOs alike',
        confidence: 'H',
      },
      {
        since: 'v6.15',
        name: 'anon_pipe_read',
        commit:
          "pipe: don't update {a,c,m}time for anonymous pipes (Oleg Nesterov, v3 posted 5 Feb 2025, so the 6.15 merge window): fifo_pipe_read wraps it for FIFOs",
        confidence: 'M',
      },
    ],
  },
  write_cache_pages: {
    doc: "The flusher writing back a mapping's dirty pages, one folio at a time.",
    history: [
      {
        since: 'v4.19',
        name: 'write_cache_pages',
        commit: 'write_cache_pages() (mm/page-writeback.c)',
        confidence: 'H',
      },
      {
        since: 'v6.18',
        name: 'writeback_iter',
        commit:
          'commit 9c5518f1bacf: write_cache_pages() removed, writeback loops on writeback_iter() (Linux 6.18)',
        confidence: 'M',
      },
    ],
  },
  end_bio_bh_io_sync: {
    doc: '->bi_end_io of a buffer-head write bio (block_write_full_folio writeback).',
    history: [
      {
        since: 'v4.19',
        name: 'end_bio_bh_io_sync',
        commit: 'end_bio_bh_io_sync(), which calls bh->b_end_io',
        confidence: 'H',
      },
      {
        since: 'v7.2',
        name: 'bh_end_async_write',
        commit:
          'buffer: Add bh_end_read(), bh_end_write() and bh_end_async_write() (86ecf5704ed3); buffer: Convert __block_write_full_folio to __bh_submit() (cc81507980f2), the vfs-7.2.bh branch',
        confidence: 'M',
      },
    ],
  },
  msg_zerocopy_callback: {
    doc: "A MSG_ZEROCOPY skb's completion, run by skb_release_data() through skb_zcopy_clear() when the last user frees the skb: it queues the notification on the socket's error queue (__msg_zerocopy_callback does the work).",
    history: [
      {
        since: 'v4.19',
        name: 'sock_zerocopy_callback',
        commit: 'sock_zerocopy_callback() (net/core/skbuff.c, MSG_ZEROCOPY since v4.14)',
        confidence: 'H',
      },
      {
        since: 'v5.12',
        name: 'msg_zerocopy_callback',
        commit:
          'skbuff: rename sock_zerocopy_* to msg_zerocopy_* (8c793822c580; net-next of January 2021, so the 5.12 merge window)',
        confidence: 'M',
      },
      {
        since: 'v6.10',
        name: 'msg_zerocopy_complete',
        commit:
          "net: extend ubuf_info callback to ops structure (7ab4f16f9e24, merged into for-6.10/io_uring): ubuf_info_ops' .complete",
        confidence: 'M',
      },
    ],
  },
  zerocopy_fill_skb_from_iter: {
    doc: "The page loop of a zerocopy send: the iterator's user pages become the skb's fragments, a reference each.",
    history: [
      {
        since: 'v4.19',
        name: '__zerocopy_sg_from_iter',
        commit: 'the loop was in __zerocopy_sg_from_iter() (net/core/datagram.c)',
        confidence: 'H',
      },
      {
        since: 'v6.11',
        name: 'zerocopy_fill_skb_from_iter',
        commit:
          'net: split __zerocopy_sg_from_iter() (7fb05423fed4; posted 27 June 2024 to net-next, so the 6.11 merge window)',
        confidence: 'M',
      },
    ],
  },
};

/**
 * Whose names a trace speaks: a release, and the names a stable series' tree spells as a later release
 * does through a backport (identity -> name; stable.ts).
 */
export interface Speaker {
  readonly release: Release;
  readonly names?: Readonly<Record<string, string>>;
}

const speaker = (x: Release | Speaker): Speaker => (typeof x === 'string' ? { release: x } : x);

/** The name `fn` (a model identity) has on a release or series: its spelling there, or itself when it never changed. */
export function functionName(on: Release | Speaker, fn: string): string {
  const { release, names } = speaker(on);
  if (names !== undefined && Object.hasOwn(names, fn)) return names[fn] as string;
  const entry = Object.hasOwn(FUNCTION_NAMES, fn) ? FUNCTION_NAMES[fn] : undefined;
  if (entry === undefined) return fn;
  let name = entry.history[0]?.name ?? fn;
  for (const change of entry.history) if (releaseAtLeast(release, change.since)) name = change.name;
  return name;
}

/** The identities a name spelled on `on` can stand for (itself among them when it is its own). */
function identities(on: Speaker, spelled: string): string[] {
  const ids = Object.keys(FUNCTION_NAMES).filter((id) => functionName(on, id) === spelled);
  if (functionName(on, spelled) === spelled) ids.push(spelled);
  return ids;
}

/**
 * Whether `a` as spelled on `ra` and `b` as spelled on `rb` can be the same function of the model (a
 * rename between the two releases is no difference).
 */
export function sameFunction(a: string, ra: Release | Speaker, b: string, rb: Release | Speaker): boolean {
  const sa = speaker(ra);
  const sb = speaker(rb);
  const sameSpeaker =
    compareReleases(sa.release, sb.release) === 0 &&
    JSON.stringify(sa.names ?? {}) === JSON.stringify(sb.names ?? {});
  if (a === b && sameSpeaker) return true;
  const ib = identities(sb, b);
  return identities(sa, a).some((id) => ib.includes(id));
}

/** Whether two lists of functions, as spelled on `ra` and `rb`, name the same functions in order. */
export function sameCalls(
  a: readonly string[],
  ra: Release | Speaker,
  b: readonly string[],
  rb: Release | Speaker,
): boolean {
  return a.length === b.length && a.every((x, i) => sameFunction(x, ra, b[i] as string, rb));
}
