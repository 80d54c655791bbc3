import type { PolicyName, PolicyValue } from './policies/index.js';
import type { Confidence } from './policy.js';
import type { Release, SeriesName } from './release.js';

/** One backport that gives a stable series a policy value its mainline release did not have. */
export type Backport = {
  readonly [N in PolicyName]: {
    readonly policy: N;
    readonly value: PolicyValue<N>;
    /** The stable commit's subject, the upstream commit it backports and that commit's release. */
    readonly commit: string;
    /** Where the series' tree shows the backported behaviour (file:line in that tree). */
    readonly evidence: string;
    readonly confidence: Confidence;
  };
}[PolicyName];

/** A function the series' tree spells as a later release, through a backport. */
export interface NameBackport {
  /** The model's identity of the function (a key of names.ts's FUNCTION_NAMES). */
  readonly identity: string;
  readonly name: string;
  readonly commit: string;
  /** Where the series' tree calls it so (file:line in that tree). */
  readonly evidence: string;
}

/**
 * A stable series as distributions ship it (Debian's kernels are stable releases, not .0 ones): the
 * mainline release it branched from, read at one named stable release, and the backports in it that
 * change what pinlab models. Every policy not named here keeps its mainline value: the series' tree
 * was read for each one (docs/kernel-timeline.md, section 12).
 */
export interface StableSeries {
  readonly name: SeriesName;
  readonly base: Release;
  /** The stable release the tree was read at ("5.10.262"). */
  readonly at: string;
  readonly backports: readonly Backport[];
  /**
   * Function names the series' tree spells as a later release does, by model identity (names.ts),
   * because a backport brought the later code: a trace on the series speaks them.
   */
  readonly names: readonly NameBackport[];
  /** Backports found in the tree that change nothing pinlab models, and why. */
  readonly unmodelled: readonly string[];
}

export const STABLE_SERIES: readonly StableSeries[] = [
  {
    name: 'v5.10.y',
    base: 'v5.10',
    at: '5.10.262',
    backports: [
      {
        policy: 'reclaim.pinnedAnon',
        value: 'keep-pinned',
        commit: "mm: don't put pinned pages into the swap cache (upstream feb889fb40fa, v5.11)",
        evidence: 'mm/vmscan.c:1253 (shrink_page_list: page_maybe_dma_pinned() -> keep_locked)',
        confidence: 'H',
      },
      {
        policy: 'bio.dirtyCompound',
        value: 'dirty',
        commit: 'block: Remove special-casing of compound pages (upstream 1b151e2435fc, v6.8)',
        evidence:
          'block/bio.c:948 (bio_release_pages), 1323 (bio_set_pages_dirty), 1370 (bio_check_pages_dirty): no PageCompound() test',
        confidence: 'H',
      },
      {
        policy: 'ext4.noBuffers',
        value: 'warn-clean',
        commit:
          "ext4: don't BUG if someone dirty pages without asking ext4 first (upstream cc5095747edf, v5.18)",
        evidence:
          'fs/ext4/inode.c:2674 (mpage_prepare_extent_to_map: ext4_warning_inode(), ClearPageDirty(), skip)',
        confidence: 'H',
      },
      {
        policy: 'uring.fixedBuffers',
        value: 'refuse-non-shmem',
        commit:
          'io_uring: import 5.15-stable io_uring (a stable-only commit: 5.10.y carries the 5.15 io_uring, io_uring/io_uring.c)',
        evidence:
          'io_uring/io_uring.c:8958 (io_sqe_buffer_register: -EOPNOTSUPP only when !vma_is_shmem() && !is_file_hugepages())',
        confidence: 'M',
      },
      {
        policy: 'uring.maxBuffers',
        value: 'max-reg-buffers',
        commit:
          'io_uring: import 5.15-stable io_uring (stable-only; carries "io_uring: increase max number of reg buffers", v5.13)',
        evidence:
          'io_uring/io_uring.c:104 (IORING_MAX_REG_BUFFERS 1 << 14), 9049 (io_sqe_buffers_register: nr_args > IORING_MAX_REG_BUFFERS -> -EINVAL)',
        confidence: 'H',
      },
    ],
    // The bio.dirtyCompound backport kept the page API here: block/bio.c:958, 1329 call set_page_dirty_lock.
    names: [],
    unmodelled: [
      'mm/gup: prevent gup_fast from racing with COW during fork (upstream 57efa1fe5957, v5.11), with mm/gup: reorganize internal_get_user_pages_fast(): write_protect_seq (mm/gup.c:2699, mm/memory.c:1194); pinlab runs fork atomically, so GUP-fast never sees it half done',
    ],
  },
  {
    name: 'v6.1.y',
    base: 'v6.1',
    at: '6.1.176',
    backports: [
      {
        policy: 'gup.pinZeroPage',
        value: 'not-counted',
        commit: "mm: Don't pin ZERO_PAGE in pin_user_pages() (upstream c8070b787519, v6.5)",
        evidence:
          'mm/gup.c:136 (try_grab_folio), 234 (try_grab_page), 188 (gup_put_folio): the zero page is skipped',
        confidence: 'H',
      },
      {
        policy: 'bio.dirtyCompound',
        value: 'dirty',
        commit:
          'block: Remove special-casing of compound pages (upstream 1b151e2435fc, v6.8), with block: Fix page refcounts for unaligned buffers in __bio_release_pages() (upstream 38b43539d64b)',
        evidence:
          'block/bio.c:1110 (__bio_release_pages walks folios, folio_put_refs()), 1421 (bio_set_pages_dirty), 1469 (bio_check_pages_dirty): no compound test',
        confidence: 'H',
      },
      {
        policy: 'reclaim.pinnedFile',
        value: 'skip-pinned',
        commit: 'mm: do not reclaim private data from pinned page (upstream, v6.4)',
        evidence:
          'mm/vmscan.c:1904 (shrink_folio_list: folio_maybe_dma_pinned() -> activate_locked right after try_to_unmap())',
        confidence: 'H',
      },
    ],
    names: [
      {
        identity: 'folio_mark_dirty',
        name: 'folio_mark_dirty',
        commit: 'block: Remove special-casing of compound pages (upstream 1b151e2435fc, v6.8)',
        evidence:
          'block/bio.c:1119 (__bio_release_pages), 1427 (bio_set_pages_dirty): folio_mark_dirty(fi.folio)',
      },
    ],
    unmodelled: [
      'filemap: add a per-mapping stable writes flag (upstream, v6.7): AS_STABLE_WRITES; pinlab keeps one stable-writes flag per file (mapping_stable_writes()), to which the older per-superblock flag gives the same value',
    ],
  },
  {
    name: 'v6.12.y',
    base: 'v6.12',
    at: '6.12.117',
    backports: [
      {
        policy: 'btrfs.dioWriteCsum',
        value: 'buffered',
        commit:
          'btrfs: always fallback to buffered write if the inode requires checksum (upstream 968f19c5b1b7, v6.15; posted for 6.12-stable as "[PATCH 6.12.y]" on 8 May 2025 and again as "[PATCH v6.12]" on 23 Feb 2026)',
        evidence: 'fs/btrfs/direct-io.c:941 (btrfs_direct_write: !BTRFS_INODE_NODATASUM -> goto buffered)',
        confidence: 'H',
      },
      {
        policy: 'reclaim.fileWritepage',
        value: 'none',
        commit:
          'ceph: Remove ceph_writepage() (upstream 19a288110435, v6.15; linux-stable-rc took it for 6.6.y in Aug 2026, and the 6.12.117 tree lacks the function)',
        evidence:
          'fs/ceph/addr.c:1926 (ceph_aops: .writepages, no .writepage; the 6.1 tree has ceph_writepage at :1437)',
        confidence: 'M',
      },
    ],
    names: [],
    unmodelled: [],
  },
];
