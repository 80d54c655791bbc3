import { policy } from '../policy.js';

/**
 * Behaviours of the I/O half (lib/iov_iter.c, block/, fs/ direct I/O and writeback, io_uring, splice)
 * that changed across releases, plus what-if switches that no release has (a single history entry).
 */
export const IO_POLICIES = {
  'iov.ubuf': policy({
    doc: 'Whether ITER_UBUF (a single user buffer) and user_backed_iter() exist.',
    kernel: 'include/linux/uio.h:iter_is_ubuf',
    values: ['absent', 'present'],
    history: [
      { since: 'v4.19', value: 'absent', commit: 'only ITER_IOVEC reaches user memory', confidence: 'H' },
      {
        since: 'v6.0',
        value: 'present',
        commit:
          'new iov_iter flavour - ITER_UBUF (fcb14cb1bdac; in viro/vfs for-next on 30 Jul 2022, the day before v5.19, and in mainline with the 5.20-rc1 merges by 10 Aug 2022, the 6.0 merge window; the 5.10 tree include/linux/uio.h has no ITER_UBUF, the 6.1 tree :29)',
        confidence: 'H',
      },
    ],
  }),
  'iov.importSingle': policy({
    doc: 'The iterator a system call builds over one user buffer (import_iovec() with one segment: readv, sendmsg, vmsplice, SG_IO; import_single_range() / import_ubuf(): send, recv): ITER_IOVEC, or ITER_UBUF. Both are user-backed (user_backed_iter()): pages are got, pinned and dirtied alike.',
    kernel: 'lib/iov_iter.c:__import_iovec',
    values: ['iovec', 'ubuf'],
    history: [
      {
        since: 'v4.19',
        value: 'iovec',
        commit:
          'import_iovec() and import_single_range() call iov_iter_init() (the 5.10 tree lib/iov_iter.c:1771, 1820; the 6.1 tree :1804, 1853)',
        confidence: 'H',
      },
      {
        since: 'v6.4',
        value: 'ubuf',
        commit:
          'iov_iter: import single vector iovecs as ITER_UBUF (3b2deb0e46da); iov_iter: convert import_single_range() to ITER_UBUF (e03ad4ee2783) (both in a mainline mirror push of 25 Apr 2023, after the v6.3 tag, with 6.4 merge-window work such as docs: move x86 documentation into Documentation/arch/; the 6.1 tree imports with iov_iter_init(), the 6.12 tree lib/iov_iter.c:1454 __import_iovec_ubuf, the 7.2 tree :1372)',
        confidence: 'H',
      },
    ],
  }),
  'iov.discard': policy({
    doc: 'Whether ITER_DISCARD (a destination that drops the data) exists.',
    kernel: 'lib/iov_iter.c:iov_iter_discard',
    values: ['absent', 'present'],
    history: [
      { since: 'v4.19', value: 'absent', commit: 'no discard iterator', confidence: 'L' },
      { since: 'v4.20', value: 'present', commit: 'iov_iter: Add I/O discard iterator', confidence: 'L' },
    ],
  }),
  'iov.xarray': policy({
    doc: 'Whether ITER_XARRAY (pages of an xarray, e.g. the page cache) exists.',
    kernel: 'lib/iov_iter.c:iov_iter_xarray',
    values: ['absent', 'present'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'no xarray iterator (the 5.10 tree include/linux/uio.h:20 enum iter_type has none)',
        confidence: 'H',
      },
      {
        since: 'v5.13',
        value: 'present',
        commit:
          "iov_iter: Add ITER_XARRAY (7ff5062079ef; merged into mainline with Merge tag 'netfs-lib-20210426' next to the 5.13-rc1 merges, mainline mirror push of 27 Apr 2021; absent from the 5.10 tree, the 6.1 tree include/linux/uio.h:27)",
        confidence: 'H',
      },
    ],
  }),
  'iov.folioq': policy({
    doc: 'Whether ITER_FOLIOQ (a chain of folio_queue segments, netfs) exists.',
    kernel: 'lib/iov_iter.c:iov_iter_folio_queue',
    values: ['absent', 'present'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'no folio_queue iterator (none in the 5.10 and 6.1 trees include/linux/uio.h)',
        confidence: 'H',
      },
      {
        since: 'v6.12',
        value: 'present',
        commit:
          'mm: Define struct folio_queue and ITER_FOLIOQ to handle a sequence of folios (db0aa2e9566f; in "netfs: Read/write improvements", posted 29 Jul 2024, after v6.11-rc1, and in the vfs tree next to the 6.12 "file: remove f_version" series; a later fix of it carries "Cc: stable # v6.12+"; the 6.12 tree include/linux/uio.h:29, the 7.2 tree too)',
        confidence: 'H',
      },
    ],
  }),
  'iov.extract': policy({
    doc: 'Whether iov_iter_extract_pages() and iov_iter_extract_will_pin() exist (pin user-backed, only list the rest).',
    kernel: 'lib/iov_iter.c:iov_iter_extract_pages',
    values: ['absent', 'present'],
    history: [
      { since: 'v4.19', value: 'absent', commit: 'only iov_iter_get_pages*() (references)', confidence: 'H' },
      {
        since: 'v6.3',
        value: 'present',
        commit: 'iov_iter: Add a function to extract a page list from an iterator (7d58fe731028)',
        confidence: 'H',
      },
    ],
  }),
  'dio.extract': policy({
    doc: 'How the block layer and fs/direct-io.c grab user pages for direct I/O and passthrough requests (bio_map_user_iov, SG_IO): FOLL_GET references (iov_iter_get_pages2) or FOLL_PIN pins (iov_iter_extract_pages).',
    kernel: 'block/bio.c:__bio_iov_iter_get_pages',
    values: ['get', 'pin'],
    history: [
      {
        since: 'v4.19',
        value: 'get',
        commit: 'iov_iter_get_pages(): get_user_pages_fast (FOLL_GET)',
        confidence: 'H',
      },
      {
        since: 'v6.5',
        value: 'pin',
        commit:
          'block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages (a7e689dd1c06); block: Use iov_iter_extract_pages() and page pinning in direct-io.c (1ccf164ec866); block: convert bio_map_user_iov to use iov_iter_extract_pages (the 6.1 tree: iov_iter_get_pages2, the 6.12 tree: iov_iter_extract_pages and BIO_PAGE_PINNED)',
        confidence: 'H',
      },
    ],
  }),
  'bio.pageFlags': policy({
    doc: "How a bio records how its pages must be released: no flag (every page put), BIO_NO_PAGE_REF (borrowed bvecs skip the put), BIO_PAGE_PINNED (only pinned bios release anything), or the v8 proposal's BIO_PAGE_REFFED + BIO_PAGE_PINNED (bi_cleanup_mode).",
    kernel: 'block/blk.h:bio_release_page',
    values: ['none', 'no-page-ref', 'pinned', 'reffed-pinned'],
    history: [
      {
        since: 'v4.19',
        value: 'none',
        commit: 'every bio page holds a reference (ITER_BVEC pages get one when added)',
        confidence: 'M',
      },
      {
        since: 'v5.1',
        value: 'no-page-ref',
        commit: 'block: add BIO_NO_PAGE_REF flag (399254aaf489)',
        confidence: 'M',
      },
      {
        since: 'v6.5',
        value: 'pinned',
        commit:
          'block: Add BIO_PAGE_PINNED and associated infrastructure; block: remove BIO_PAGE_REFFED (e4cc64657bec)',
        confidence: 'H',
      },
    ],
  }),
  'blkdev.asyncDio': policy({
    doc: "Which code serves an async O_DIRECT request on a block device that fits one bio: the multi-bio __blkdev_direct_IO, where a page grab that fails ends the bio with BLK_STS_IOERR (the caller gets -EIOCBQUEUED, then -EIO from ->ki_complete), or the single-bio __blkdev_direct_IO_async, which returns the grab's error at submission.",
    kernel: 'block/fops.c:__blkdev_direct_IO_async',
    values: ['multi-bio', 'single-bio'],
    history: [
      {
        since: 'v4.19',
        value: 'multi-bio',
        commit:
          'blkdev_direct_IO() sends only a sync request to __blkdev_direct_IO_simple (the 5.10 tree: fs/block_dev.c:505; the grab failure at :423)',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        value: 'single-bio',
        commit:
          'block: add single bio async direct IO helper (54a88eb838d3, for-5.16/block) (the 6.1 tree: block/fops.c:309, chosen at :373)',
        confidence: 'H',
      },
    ],
  }),
  'bio.dirtyCompound': policy({
    doc: 'Whether bio_set_pages_dirty / bio_check_pages_dirty / bio_release_pages(mark_dirty) dirty compound pages (THP, hugetlb) or skip them.',
    kernel: 'block/bio.c:bio_set_pages_dirty',
    values: ['skip', 'dirty'],
    history: [
      { since: 'v4.19', value: 'skip', commit: 'dirty helpers test !PageCompound()', confidence: 'H' },
      {
        since: 'v6.8',
        value: 'dirty',
        commit: 'block: Remove special-casing of compound pages (1b151e2435fc)',
        confidence: 'H',
      },
    ],
  }),
  'dio.redirty': policy({
    doc: "What-if (no release has 'none'): drop the DIO read re-dirty logic (should_dirty pre-dirtying, bio_check_pages_dirty and mark_dirty on release), as Al Viro proposed once pages are pinned.",
    kernel: 'block/bio.c:bio_check_pages_dirty',
    values: ['check-dirty', 'none'],
    history: [
      {
        since: 'v4.19',
        value: 'check-dirty',
        commit: 'still present in 6.12 (Al Viro, Jan 2023: "this crap should become useless")',
        confidence: 'H',
      },
    ],
  }),
  'wb.pinned': policy({
    doc: "What-if (no release has 'skip'): whether writeback leaves a maybe-DMA-pinned page-cache folio dirty instead of cleaning and writing it.",
    kernel: 'mm/page-writeback.c:write_cache_pages',
    values: ['ignore', 'skip'],
    history: [
      {
        since: 'v4.19',
        value: 'ignore',
        commit:
          'generic writeback never looks at pins: no pin test in mm/page-writeback.c, mm/filemap.c or fs/iomap/buffered-io.c of the 5.10, 6.1, 6.12 and 7.2 trees',
        confidence: 'H',
      },
    ],
  }),
  'ext4.noBuffers': policy({
    doc: 'What ext4 writeback does with a dirty page-cache folio that has no buffers (dirtied without ->page_mkwrite).',
    kernel: 'fs/ext4/inode.c:ext4_writepages (mpage_prepare_extent_to_map)',
    values: ['bug', 'warn-clean'],
    history: [
      { since: 'v4.19', value: 'bug', commit: 'BUG_ON(!page_has_buffers(page))', confidence: 'M' },
      {
        since: 'v5.18',
        value: 'warn-clean',
        commit: "ext4: don't BUG if someone dirty pages without asking ext4 first (cc5095747edf)",
        confidence: 'H',
      },
    ],
  }),
  'vmsplice.grab': policy({
    doc: "How vmsplice() grabs user pages for the pipe: FOLL_GET references through iov_iter_get_pages2 in every release; 'pin' is the what-if David Hildenbrand described (all cow tests would pass).",
    kernel: 'fs/splice.c:iter_to_pipe',
    values: ['get', 'pin'],
    history: [
      {
        since: 'v4.19',
        value: 'get',
        commit:
          'iter_to_pipe(): iov_iter_get_pages(2) (R/O FOLL_GET), still in the 7.2 tree (fs/splice.c:1460)',
        confidence: 'H',
      },
    ],
  }),
  'uring.fixedBuffers': policy({
    doc: 'io_uring registered buffers: absent (no io_uring), io_uring refusing file VMAs itself (-EOPNOTSUPP, shared or private) other than hugetlbfs, then other than shmem/hugetlbfs, or leaving it to GUP (writable longterm pins of dirty-tracked mappings refused, -EFAULT).',
    kernel: 'io_uring/rsrc.c:io_pin_pages',
    values: ['absent', 'refuse-non-hugetlbfs', 'refuse-non-shmem', 'gup-decides'],
    history: [
      { since: 'v4.19', value: 'absent', commit: 'no io_uring', confidence: 'H' },
      {
        since: 'v5.1',
        value: 'refuse-non-hugetlbfs',
        commit:
          "io_uring: add support for pre-mapped user IO buffers (edafccee56ff; vm_file && !is_file_hugepages() -> -EOPNOTSUPP): posted as [PATCH 12/19] on 11 Feb 2019, after the 5.0 merge window; io_sqe_buffer_register() is in a 5.1.0-rc7 kernel (syzkaller splat in Mark Rutland's fix of 1 May 2019, Fixes: edafccee56ff); the stable bot lists it among the commits v4.19.79 lacks",
        confidence: 'H',
      },
      {
        since: 'v5.14',
        value: 'refuse-non-shmem',
        commit:
          'io_uring: enable shmem/memfd memory registration (40dad765c045; vma_is_shmem() -> allowed; RFC posted 9 Jun 2021, in Jens Axboe\'s "[GIT PULL] io_uring updates for 5.14-rc1" of 1 Jul 2021, based on v5.13-rc6)',
        confidence: 'H',
      },
      {
        since: 'v6.5',
        value: 'gup-decides',
        commit: 'io_uring: rsrc: delegate VMA file-backed check to GUP',
        confidence: 'H',
      },
    ],
  }),
  'uring.maxBuffers': policy({
    doc: 'How many slots an io_uring buffer table may have (IORING_REGISTER_BUFFERS nr_args): UIO_MAXIOV (1024) or IORING_MAX_REG_BUFFERS (16384). Registering slot N needs a table of N + 1; a larger one is refused with -EINVAL before anything is pinned.',
    kernel: 'io_uring/rsrc.c:io_sqe_buffers_register',
    values: ['uio-maxiov', 'max-reg-buffers'],
    history: [
      {
        since: 'v4.19',
        value: 'uio-maxiov',
        commit: 'io_sqe_buffer_register(): nr_args > UIO_MAXIOV -> -EINVAL (v5.1 io_uring, fs/io_uring.c)',
        confidence: 'M',
      },
      {
        since: 'v5.13',
        value: 'max-reg-buffers',
        commit:
          'io_uring: increase max number of reg buffers (489809e2e22b; IORING_MAX_REG_BUFFERS = 1 << 14; posted 14 May 2021 and sent as a 5.13 fix: it is in the shortlog of Linus\'s "Linux 5.13-rc2" announcement of 16 May 2021, so v5.13, not v5.14; the 6.1, 6.12 and 7.2 trees: io_uring/rsrc.c:34/1119, 36/1047, 80/962)',
        confidence: 'H',
      },
    ],
  }),
  'uring.unregisterInFlight': policy({
    doc: 'What unregistering io_uring buffers does while a request that uses one is in flight: hide the table (a fixed request submitted meanwhile fails with -EFAULT), wait until the requests that hold it finish, then unpin (rsrc quiesce), or take the buffer out of the table at once and unpin it when the last request holding its rsrc node ends.',
    kernel: 'io_uring/rsrc.c:io_sqe_buffers_unregister',
    values: ['quiesce', 'node-refs'],
    history: [
      {
        since: 'v4.19',
        value: 'quiesce',
        commit:
          'io_sqe_buffers_unregister() waits in io_rsrc_ref_quiesce() (the 5.10, 6.1 and 6.12 trees; mainline 5.x quiesced the whole ring, io_ctx_quiesce())',
        confidence: 'H',
      },
      {
        since: 'v6.13',
        value: 'node-refs',
        commit:
          'io_uring/rsrc: get rid of per-ring io_rsrc_node list (7029acd8a950, Jens Axboe, 25 Oct 2024; in linux-next 20241101, for the 6.13 merge window; the 6.12 tree quiesces, io_uring/rsrc.c:788, the 7.2 tree frees the table at once and unmaps a buffer in io_free_rsrc_node() when its refs reach zero)',
        confidence: 'H',
      },
    ],
  }),
  'btrfs.dioWriteCsum': policy({
    doc: 'What an O_DIRECT write to a btrfs file with data checksums does: go direct from the user pages (which can change after the checksum was computed), or fall back to a buffered write and wait for it.',
    kernel: 'fs/btrfs/direct-io.c:btrfs_direct_write',
    values: ['direct', 'buffered'],
    history: [
      {
        since: 'v4.19',
        value: 'direct',
        commit:
          'checksummed inodes take the iomap direct path (the 6.1 tree: fs/btrfs/file.c btrfs_direct_write)',
        confidence: 'H',
      },
      {
        since: 'v6.15',
        value: 'buffered',
        commit:
          'btrfs: always fallback to buffered write if the inode requires checksum (968f19c5b1b7; in btrfs for-next on 18 Mar 2025 and in linux-next with the 6.15 merge window on 28 Mar 2025, after v6.14 was released; a btrfs-fixes copy of Feb 2025 did not reach v6.14; btrfs-progs docs say 6.14, which it was meant for; the 6.12 tree has it as a backport, fs/btrfs/direct-io.c:941, the 7.2 tree at 939)',
        confidence: 'H',
      },
    ],
  }),
  'ext4.dioPath': policy({
    doc: "Which direct-I/O implementation an O_DIRECT read or write of an ext4 file runs: fs/direct-io.c (ext4_direct_IO -> __blockdev_direct_IO) or iomap (ext4_dio_read_iter / ext4_dio_write_iter -> iomap_dio_rw). A scenario's `dio` names the path; the other one is not on that release.",
    kernel: 'fs/ext4/file.c:ext4_dio_read_iter',
    values: ['legacy', 'iomap'],
    history: [
      {
        since: 'v4.19',
        value: 'legacy',
        commit:
          'ext4_direct_IO() -> __blockdev_direct_IO() (fs/direct-io.c) until the v5.5 switch below; no tree before 5.10 read',
        confidence: 'H',
      },
      {
        since: 'v5.5',
        value: 'iomap',
        commit:
          'ext4: introduce direct I/O read using iomap infrastructure (b1b4705d54ab, authored 5 Nov 2019, after v5.4-rc6; the kernel test robot found it in torvalds/linux master on 24 Dec 2019, v5.5-rc3: the 5.5 merge window); ext4: introduce direct I/O write using iomap infrastructure (378f32bab371) (the 5.10 tree: fs/ext4/file.c:77 and 541 call iomap_dio_rw; so do 6.1, 6.12 and 7.2)',
        confidence: 'H',
      },
    ],
  }),
  'btrfs.dioPath': policy({
    doc: "Which direct-I/O implementation an O_DIRECT read or write of a btrfs file runs: fs/direct-io.c (btrfs_direct_IO -> __blockdev_direct_IO with btrfs_submit_direct) or iomap (iomap_dio_rw with btrfs_dio_iomap_ops). A scenario's `dio` names the path; the other one is not on that release.",
    kernel: 'fs/btrfs/direct-io.c:btrfs_direct_write',
    values: ['legacy', 'iomap'],
    history: [
      {
        since: 'v4.19',
        value: 'legacy',
        commit:
          'btrfs_direct_IO() -> __blockdev_direct_IO(); the first conversion was reverted before v5.8 (Revert "btrfs: switch to iomap_dio_rw() for dio", 55e20bd12a56, for-5.8-part2) and redone for v5.10',
        confidence: 'H',
      },
      {
        since: 'v5.10',
        value: 'iomap',
        commit:
          "btrfs: switch to iomap for direct IO (f85781fb505e, authored 17 Aug 2020, the day after v5.9-rc1; still rebased in btrfs misc-next as c0aaf9b7a114 on 21 Aug 2020, when David Sterba folded a fix into it, and in linux-next on 3 Sep 2020, so not in v5.9; a revlist lists it with Merge tag 'for-5.10-tag', and David Sterba confirmed f85781fb505e as the Fixes: target after Stephen Rothwell's linux-next check) (the 5.10 tree: fs/btrfs/inode.c:8084; 6.1 fs/btrfs/file.c, 6.12 and 7.2 fs/btrfs/direct-io.c)",
        confidence: 'H',
      },
    ],
  }),
  'dio.bounceStable': policy({
    doc: 'Whether iomap direct I/O on a mapping that needs stable pages (XFS with mapping_stable_writes()) bounces through kernel buffers (IOMAP_DIO_BOUNCE) instead of handing the user pages to the device: a write copies the data into bio-owned folios at submission (the user pages are never grabbed), a read pins the user pages and copies the data into them at completion.',
    kernel: 'fs/iomap/direct-io.c:__iomap_dio_rw',
    values: ['none', 'bounce'],
    history: [
      {
        since: 'v4.19',
        value: 'none',
        commit: 'direct I/O always maps the user pages (the 6.12 tree)',
        confidence: 'H',
      },
      {
        since: 'v7.0',
        value: 'bounce',
        commit:
          'block: add helpers to bounce buffer an iov_iter into bios (8dd5e7c75d7b); iomap: add a flag to bounce buffer direct I/O (c9d114846b38); xfs: use bounce buffering direct I/O when the device requires stable pages (3373503df025): applied to the block tree on 28 Jan 2026, after v6.19-rc7, so the 7.0 merge window (XFS sets IOMAP_DIO_BOUNCE when mapping_stable_writes(); the 7.2 tree block/bio.c:1482 bio_iov_iter_bounce, fs/iomap/direct-io.c:356, fs/xfs/xfs_file.c:268/777/854; not the 6.12 one)',
        confidence: 'H',
      },
    ],
  }),
  'uring.kernelBuffers': policy({
    doc: "Whether a kernel driver can register a buffer of its own in an io_uring buffer table (io_buffer_register_bvec(): ublk's zero copy), held by the table and the requests that use it like a user buffer, and handed back through the driver's release callback when the last of them lets go.",
    kernel: 'io_uring/rsrc.c:io_buffer_register_bvec',
    values: ['absent', 'present'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'only user memory is registered (the 6.12 tree has no io_buffer_register_bvec)',
        confidence: 'H',
      },
      {
        since: 'v6.15',
        value: 'present',
        commit:
          'io_uring: add support for kernel registered bvecs (27cb27b6d5ea); ublk: zc register/unregister bvec (Keith Busch; first posted 3 Feb 2025, after the 6.14 merge window closed, v7 later that month, for the 6.15 merge window; the 7.2 tree: io_uring/rsrc.c:1018 io_buffer_register_bvec, 1081 io_buffer_unregister_bvec, 210 io_buffer_unmap calls imu->release, drivers/block/ublk_drv.c:3180 ublk_io_release)',
        confidence: 'H',
      },
    ],
  }),
} as const;
