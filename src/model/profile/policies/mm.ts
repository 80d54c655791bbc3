import { policy } from '../policy.js';

/** Behaviours of mm/ (COW, fork, GUP) that changed across releases. */
export const MM_POLICIES = {
  'cow.reuse': policy({
    doc: 'How a write fault decides it may reuse an anonymous small folio instead of copying it.',
    kernel: 'mm/memory.c:do_wp_page',
    values: ['mapcount', 'refcount', 'anon-exclusive'],
    history: [
      {
        since: 'v4.19',
        value: 'mapcount',
        commit: 'reuse_swap_page(): reuse when mapcount + swapcount <= 1 (GUP references are invisible)',
        confidence: 'H',
      },
      {
        since: 'v5.9',
        value: 'refcount',
        commit: 'mm: do_wp_page() simplification (09854ba94c6a)',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        value: 'anon-exclusive',
        commit:
          'mm/rmap: introduce PageAnonExclusive (COW fixes part 2: reliable GUP pins of anonymous pages); swap PTEs remember it',
        confidence: 'H',
      },
    ],
  }),
  'cow.thpSwapReuse': policy({
    doc: 'How a write fault on a PMD-mapped THP or a page still in the swap cache decides reuse.',
    kernel: 'mm/huge_memory.c:do_huge_pmd_wp_page, mm/memory.c:do_swap_page',
    values: ['mapcount', 'refcount'],
    history: [
      { since: 'v4.19', value: 'mapcount', commit: 'reuse_swap_page() by mapcount', confidence: 'H' },
      {
        since: 'v5.18',
        value: 'refcount',
        commit:
          'mm: COW fixes part 1: fix the COW security issue for THP and swap (mm/swapfile: remove stale reuse_swap_page(); in a mainline-merge log of 30 Mar 2022, the 5.18 merge window; reuse_swap_page() in the 5.10 tree, mm/swapfile.c:1718, gone from the 6.1 tree)',
        confidence: 'H',
      },
    ],
  }),
  'cow.largeFolioReuse': policy({
    doc: 'Whether a write fault may reuse a PTE-mapped large anonymous folio that is not marked exclusive.',
    kernel: 'mm/memory.c:wp_can_reuse_anon_folio',
    values: ['like-small', 'never', 'exclusive-mm'],
    history: [
      {
        since: 'v4.19',
        value: 'like-small',
        commit: 'the last mapped page of a large folio reuses it by the small-folio rule',
        confidence: 'M',
      },
      {
        since: 'v6.9',
        value: 'never',
        commit: 'mm: prohibit the last subpage from reusing the entire large folio (cd197c3a2040)',
        confidence: 'H',
      },
      {
        since: 'v6.15',
        value: 'exclusive-mm',
        commit: 'mm: Copy-on-Write (COW) reuse support for PTE-mapped THP (1da190f4d0a6)',
        confidence: 'H',
      },
    ],
  }),
  'hugetlb.cowReuse': policy({
    doc: 'How a hugetlb write fault decides reuse: still by mapcount in every release modelled.',
    kernel: 'mm/hugetlb.c:hugetlb_wp',
    values: ['mapcount', 'refcount'],
    history: [
      {
        since: 'v4.19',
        value: 'mapcount',
        commit: 'hugetlb_cow()/hugetlb_wp(): reuse when exclusive or mapcount == 1; no refcount check',
        confidence: 'H',
      },
    ],
  }),
  'hugetlb.forceWrite': policy({
    doc: 'What a FOLL_FORCE|FOLL_WRITE GUP (ptrace, /proc/pid/mem) does on a read-only private hugetlb mapping: hugetlb_cow() maps the page writable inside the read-only VMA, check_vma_flags() refuses (-EFAULT), or hugetlb_wp() breaks COW and keeps the entry read-only (maybe_mkwrite-style) so GUP follows the exclusive page.',
    kernel: 'mm/gup.c:check_vma_flags, mm/hugetlb.c:hugetlb_wp',
    values: ['writable', 'refuse', 'read-only'],
    history: [
      {
        since: 'v4.19',
        value: 'writable',
        commit:
          'hugetlb_cow(): set_huge_ptep_writable() on reuse and make_huge_pte(vma, new_page, 1) on copy, whatever VM_WRITE says (the 5.10 tree)',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        value: 'refuse',
        commit:
          'mm/gup: fix FOLL_FORCE COW security issue and remove FOLL_COW ("hugetlb does not support FOLL_FORCE|FOLL_WRITE" in check_vma_flags(), a WARN in hugetlb_wp(); the 6.1 and 6.12 trees)',
        confidence: 'H',
      },
      {
        since: 'v6.14',
        value: 'read-only',
        commit:
          'mm/hugetlb: support FOLL_FORCE|FOLL_WRITE (Guillaume Morin, v4 posted Dec 2024; in mm-unstable on 5 Dec 2024, after v6.13-rc1, so the 6.14 merge window; mainline id not found; the 6.12 tree refuses, mm/gup.c:1300, the 7.2 tree does not, check_vma_flags() 1200)',
        confidence: 'H',
      },
    ],
  }),
  'gup.forceCowBreak': policy({
    doc: 'Whether a FOLL_GET or FOLL_PIN grab in a COW mapping breaks COW (a write fault) even when it only reads.',
    kernel: 'mm/gup.c:should_force_cow_break',
    values: ['off', 'on'],
    history: [
      { since: 'v4.19', value: 'off', commit: 'no forced COW in GUP', confidence: 'H' },
      {
        since: 'v5.8',
        value: 'on',
        commit:
          "gup: document and work around 'COW can break either way' issue (17839856fd58); mainline tests FOLL_GET | FOLL_PIN (stable backports without FOLL_PIN test FOLL_GET only)",
        confidence: 'H',
      },
      {
        since: 'v5.9',
        value: 'off',
        commit: 'mm/gup: Remove enfornced COW mechanism (with mm: do_wp_page() simplification)',
        confidence: 'H',
      },
    ],
  }),
  'gup.pin': policy({
    doc: 'Whether FOLL_PIN (pin_user_pages*) exists and is counted apart from references.',
    kernel: 'mm/gup.c:try_grab_folio',
    values: ['absent', 'counted'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'only get_user_pages*() (FOLL_GET) exists',
        confidence: 'H',
      },
      {
        since: 'v5.7',
        value: 'counted',
        commit:
          'mm/gup: introduce pin_user_pages*() and FOLL_PIN (eddb1c228f79, v5.6); mm/gup: track FOLL_PIN pages (3faa52c03f44; Alex Williamson bisected a regression to it on 24 Apr 2020 in a 5.6.0+ kernel, i.e. merged after v5.6, in the 5.7 merge window; the 5.10 tree counts pins, mm/gup.c:149)',
        confidence: 'H',
      },
    ],
  }),
  'gup.forceWriteFollow': policy({
    doc: 'When a FOLL_FORCE write GUP may use a read-only entry of a private mapping (ptrace, /proc/pid/mem).',
    kernel: 'mm/gup.c:can_follow_write_pte',
    values: ['foll-cow', 'anon-exclusive'],
    history: [
      {
        since: 'v4.19',
        value: 'foll-cow',
        commit: 'FOLL_COW: after this GUP call broke COW with a write fault, while the entry is dirty',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        value: 'anon-exclusive',
        commit:
          'mm/gup: fix FOLL_FORCE COW security issue and remove FOLL_COW (posted 9 Aug 2022, 5.19-stable backport 24 Aug 2022; in the 6.1 tree)',
        confidence: 'H',
      },
    ],
  }),
  'fork.copyPinned': policy({
    doc: 'Whether fork copies a maybe-DMA-pinned anonymous page for the child instead of sharing it (PTEs and split PMDs).',
    kernel: 'mm/memory.c:copy_present_pte',
    values: ['never', 'copy'],
    history: [
      { since: 'v4.19', value: 'never', commit: 'fork always shares anonymous pages', confidence: 'H' },
      {
        since: 'v5.9',
        value: 'copy',
        commit:
          'mm: Do early cow for pinned pages during fork() for ptes (70e806e4e645); mm/thp: Split huge pmds/puds if they are pinned when fork()',
        confidence: 'H',
      },
    ],
  }),
  'fork.copyPinnedHugetlb': policy({
    doc: 'Whether fork copies a maybe-DMA-pinned anonymous hugetlb page for the child.',
    kernel: 'mm/hugetlb.c:copy_hugetlb_page_range',
    values: ['never', 'copy'],
    history: [
      { since: 'v4.19', value: 'never', commit: 'hugetlb pages always shared at fork', confidence: 'H' },
      {
        since: 'v5.12',
        value: 'copy',
        commit:
          'hugetlb: do early cow when page pinned on src mm (4eae4efa2c29; in a mainline list among mid-March 2021 fixes, the v5.12-rc cycle; the 5.10 tree shares, copy_hugetlb_page_range() 3827, the 6.1 tree copies, mm/hugetlb.c:5157)',
        confidence: 'H',
      },
    ],
  }),
  'fork.hugetlbTables': policy({
    doc: 'Whether fork copies the page-table entries of a hugetlb VMA that has no anon_vma (a shared hugetlb mapping, or a private one only read from the page cache), or leaves them for the child to fault, as for every other such mapping.',
    kernel: 'mm/memory.c:vma_needs_copy',
    values: ['copy', 'lazy'],
    history: [
      {
        since: 'v4.19',
        value: 'copy',
        commit:
          'copy_page_range() skips a VMA without anon_vma unless it is VM_HUGETLB, VM_PFNMAP or VM_MIXEDMAP (the 5.10 tree: mm/memory.c:1157)',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        value: 'lazy',
        commit:
          'hugetlb: lazy page table copies in fork() (bcd51a3c679d, posted 16 Jun 2022; in akpm/mm mm-stable with that id on 18 Jul 2022, before v5.19 (31 Jul), so the 6.0 merge window; a later bisection found it changed behaviour "after v5.19"; the 6.1, 6.12 and 7.2 trees: vma_needs_copy() at mm/memory.c:1251, 1330 and 1482 has no VM_HUGETLB test)',
        confidence: 'H',
      },
    ],
  }),
  'gup.unshare': policy({
    doc: 'Which R/O pins first unshare (FAULT_FLAG_UNSHARE) the page they pin.',
    kernel: 'mm/internal.h:gup_must_unshare',
    values: ['none', 'anon', 'anon+cow-longterm'],
    history: [
      { since: 'v4.19', value: 'none', commit: 'R/O pins take whatever page is mapped', confidence: 'H' },
      {
        since: 'v5.19',
        value: 'anon',
        commit:
          'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page (a7f226604170)',
        confidence: 'H',
      },
      {
        since: 'v6.2',
        value: 'anon+cow-longterm',
        commit: 'mm/gup: reliable R/O long-term pinning in COW mappings (84209e87c696)',
        confidence: 'H',
      },
    ],
  }),
  'gup.pinZeroPage': policy({
    doc: 'Whether pinning the shared zero page is counted on it.',
    kernel: 'mm/gup.c:try_grab_folio',
    values: ['counted', 'not-counted'],
    history: [
      { since: 'v4.19', value: 'counted', commit: 'the zero page is pinned like any page', confidence: 'H' },
      {
        since: 'v6.5',
        value: 'not-counted',
        commit: "mm: Don't pin ZERO_PAGE in pin_user_pages() (c8070b787519)",
        confidence: 'H',
      },
    ],
  }),
  'gup.longtermWriteFile': policy({
    doc: 'Whether a writable FOLL_LONGTERM pin of a file mapping that needs dirty tracking is refused.',
    kernel: 'mm/gup.c:writable_file_mapping_allowed',
    values: ['allowed', 'refuse-dirty-tracked'],
    history: [
      { since: 'v4.19', value: 'allowed', commit: 'no such check', confidence: 'H' },
      {
        since: 'v6.5',
        value: 'refuse-dirty-tracked',
        commit: 'mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to file-backed mappings (8ac268436e6d)',
        confidence: 'H',
      },
    ],
  }),
  'gup.argCheck': policy({
    doc: "How the GUP entry points check the caller's flags: `flags` (is_valid_gup_flags(): get_user_pages*() refuse FOLL_PIN and, once FOLL_PIN exists, FOLL_LONGTERM; pin_user_pages*() refuse FOLL_GET; both -EINVAL) or `args` (is_valid_gup_args(): internal flags, FOLL_GET with FOLL_PIN and FOLL_LONGTERM without FOLL_PIN are refused everywhere, and pin_user_pages() returns 0 for them while the others return -EINVAL).",
    kernel: 'mm/gup.c:is_valid_gup_args',
    values: ['flags', 'args'],
    history: [
      {
        since: 'v4.19',
        value: 'flags',
        commit:
          'per entry point (the 5.10.262 tree: is_valid_gup_flags() mm/gup.c:1772, pin_user_pages() :2982; the 6.1.176 tree: :2171, :3304)',
        confidence: 'H',
      },
      {
        since: 'v6.3',
        value: 'args',
        commit:
          'mm/gup: simplify the external interface functions and consolidate invariants (b8f81054dc36; Jan 2023 series "Simplify the external interface for GUP"; in akpm\'s mm-stable with that id by 7 Feb 2023, before v6.2 (19 Feb), so the 6.3 merge window; the 6.1.176 tree has no is_valid_gup_args(), the 6.12.117 tree: mm/gup.c:2595, pin_user_pages() returns 0 at :3646)',
        confidence: 'H',
      },
    ],
  }),
  'gup.nofault': policy({
    doc: 'Whether FOLL_NOFAULT exists: a GUP that fails (-EFAULT) instead of faulting a page in (gfs2, btrfs and iomap direct I/O under a lock the fault could need).',
    kernel: 'mm/gup.c:__get_user_pages',
    values: ['absent', 'present'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'no such flag (the 5.10.262 tree: FOLL_* defines in include/linux/mm.h:2819, none for it)',
        confidence: 'H',
      },
      {
        since: 'v5.16',
        value: 'present',
        commit:
          'gup: Introduce FOLL_NOFAULT flag to disable page faults (55b8fe703bc5; in "[GIT PULL] gfs2: Fix mmap + page fault deadlocks", tag gfs2-v5.15-rc5-mmap-fault, sent to Linus on 2 Nov 2021, after v5.15 (31 Oct), so the 5.16 merge window; the 6.1.176 tree: include/linux/mm.h:3094, mm/gup.c:1003)',
        confidence: 'H',
      },
    ],
  }),
  'gup.testInterface': policy({
    doc: 'The CONFIG_GUP_TEST debugfs file the mm selftests pin through: none (only gup_benchmark), gup_test with its benchmarks, or gup_test with PIN_LONGTERM_TEST_START/STOP/READ.',
    kernel: 'mm/gup_test.c:gup_test_ioctl',
    values: ['absent', 'benchmarks', 'pin-longterm-test'],
    history: [
      { since: 'v4.19', value: 'absent', commit: 'only /sys/kernel/debug/gup_benchmark', confidence: 'H' },
      {
        since: 'v5.11',
        value: 'benchmarks',
        commit:
          'mm/gup_benchmark: rename to mm/gup_test (9c84f229268f; in linux-next on 16 Dec 2020, three days after v5.10, and in torvalds/linux dated Dec 2020 per a kernel test robot report: the 5.11 merge window; the 5.10 tree has mm/gup_benchmark.c, the 6.1 tree mm/gup_test.c)',
        confidence: 'H',
      },
      {
        since: 'v6.2',
        value: 'pin-longterm-test',
        commit:
          'mm/gup_test: start/stop/read functionality for PIN LONGTERM test (c77369b437f9, the id later Fixes: tags cite; in linux-next with that id on 9 Nov 2022, after v6.1-rc1: the 6.2 merge window; the 6.1 tree mm/gup_test.c has no PIN_LONGTERM_TEST, the 6.12 tree has it)',
        confidence: 'H',
      },
    ],
  }),
  'reclaim.pinnedAnon': policy({
    doc: 'Whether reclaim refuses to add a maybe-DMA-pinned anonymous folio to the swap cache (before any unmapping).',
    kernel: 'mm/vmscan.c:shrink_folio_list',
    values: ['swap', 'keep-pinned'],
    history: [
      {
        since: 'v4.19',
        value: 'swap',
        commit: 'add_to_swap() takes any anonymous page reclaim picks',
        confidence: 'H',
      },
      {
        since: 'v5.11',
        value: 'keep-pinned',
        commit:
          "mm: don't put pinned pages into the swap cache (feb889fb40fa; merged after powerpc-5.11-4, so v5.11-rc5; the 5.10 tree has it as a backport, mm/vmscan.c:1253, so v5.10.y; the 6.1, 6.12 and 7.2 trees at 1829, 1254 and 1257)",
        confidence: 'H',
      },
    ],
  }),
  'reclaim.pinnedFile': policy({
    doc: 'Whether reclaim, once it has unmapped a page-cache folio, leaves a maybe-DMA-pinned one alone (its buffers kept) or goes on to write or release it.',
    kernel: 'mm/vmscan.c:shrink_folio_list',
    values: ['release', 'skip-pinned'],
    history: [
      {
        since: 'v4.19',
        value: 'release',
        commit:
          'after try_to_unmap() nothing looks at pins: a clean referenced folio loses its buffers (the 5.10 tree)',
        confidence: 'H',
      },
      {
        since: 'v6.4',
        value: 'skip-pinned',
        commit:
          'mm: do not reclaim private data from pinned page (folio_maybe_dma_pinned() -> activate_locked right after try_to_unmap(); reposted 28 Apr 2023, after v6.3, in mm-hotfixes-unstable on 5 May 2023 and in 6.2-stable as a backport on 8 May 2023, so mainline by v6.4-rc1; absent from the 5.10 tree, in the 6.1 (a stable backport), 6.12 and 7.2 trees)',
        confidence: 'H',
      },
    ],
  }),
  'reclaim.fileWritepage': policy({
    doc: "Which modelled filesystems still have ->writepage, the only way reclaim's pageout() can write a dirty page-cache folio (kswapd, once it meets the folio again with PG_reclaim set; direct reclaim never writes file folios). Without it pageout() returns PAGE_ACTIVATE and the folio stays dirty for the flusher. shmem keeps its swap-out path (shmem_writepage(), later shmem_writeout()) in every release.",
    kernel: 'mm/vmscan.c:pageout',
    values: ['all', 'no-xfs', 'no-xfs-btrfs', 'bdev-nfs-ceph', 'ceph', 'none'],
    history: [
      {
        since: 'v4.19',
        value: 'all',
        commit:
          'ext4, xfs, btrfs, the block device, NFS and ceph set .writepage (the 5.10 tree: fs/ext4/inode.c:3721, fs/xfs/xfs_aops.c:632, fs/btrfs/inode.c:10509, fs/block_dev.c:1990, fs/nfs/file.c:527, fs/ceph/addr.c:1461)',
        confidence: 'H',
      },
      {
        since: 'v5.15',
        value: 'no-xfs',
        commit:
          'xfs: drop ->writepage completely (21b4ee7029c9; in the xfs for-next update of 21 Aug 2021, "This is it for 5.15")',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        value: 'no-xfs-btrfs',
        commit:
          'btrfs: remove ->writepage (Christoph Hellwig, posted 21 Jun 2022, after v5.19-rc3; David Sterba took it for btrfs the next day, so the 6.0 merge window; mainline id and pull not found; present in the 5.10 tree fs/btrfs/inode.c:10509, absent from the 6.1 tree)',
        confidence: 'M',
      },
      {
        since: 'v6.2',
        value: 'bdev-nfs-ceph',
        commit:
          "ext4: stop providing .writepage hook (dae999602eeb, Jan Kara, v4 posted 7 Dec 2022; in the torvalds/linux push of 13 Dec 2022 through Merge tag 'ext4_for_linus', next to 'erofs-for-6.2-rc1': the 6.2 merge window; the 6.1 tree still has ext4_writepage at fs/ext4/inode.c:3675)",
        confidence: 'H',
      },
      {
        since: 'v6.8',
        value: 'ceph',
        commit:
          'the block device and NFS lose ->writepage: "fs: Convert block_write_full_page to block_write_full_folio" (blkdev_writepage -> blkdev_writepages, posted 15 Dec 2023 for mm) and "nfs: Remove writepage" (12fc0a963128, "[GIT PULL] Please Pull NFS Client Updates for Linux 6.8"); the 6.1 tree has both (block/fops.c:434, fs/nfs/file.c:527), the 6.12 tree neither',
        confidence: 'M',
      },
      {
        since: 'v6.15',
        value: 'none',
        commit:
          'ceph: Remove ceph_writepage() (19a288110435; Matthew Wilcox, "I would like to see merged for v6.15"; in the vfs series "Remove accesses to page->index from ceph" in linux-next fs-next on 24 Mar 2025, the day v6.14 was released: the 6.15 merge window; the 6.12.117 tree lacks it, a stable backport: series v6.12.y). "fs: Remove aops->writepage" (6b0dfabb3555) later removed the hook: the 7.2 tree\'s pageout() writes only shmem and swap-cache folios (mm/vmscan.c:635-652), shrink_folio_list() activates every dirty file-LRU folio (:1364)',
        confidence: 'M',
      },
    ],
  }),
  'mprotect.writeUpgrade': policy({
    doc: 'Whether mprotect(PROT_WRITE) on a private mapping maps an exclusive anonymous page writable at once, without a write fault: never, only a PTE that is already dirty, or any PTE or PMD-mapped THP (hugetlb never).',
    kernel: 'mm/mprotect.c:can_change_pte_writable',
    values: ['off', 'exclusive-anon-dirty', 'exclusive-anon'],
    history: [
      {
        since: 'v4.19',
        value: 'off',
        commit:
          'private PTEs stay read-only until a write fault (the 5.10 tree: change_pte_range() upgrades only dirty-accounted shared entries, mm/mprotect.c:135)',
        confidence: 'H',
      },
      {
        since: 'v6.0',
        value: 'exclusive-anon-dirty',
        commit:
          'mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection (64fe24a3e05e; in the mainline push of 6 Aug 2022, the 6.0 merge window; the 6.1 tree: mm/mprotect.c:42 returns false unless pte_dirty())',
        confidence: 'H',
      },
      {
        since: 'v6.2',
        value: 'exclusive-anon',
        commit:
          'mm/mprotect: allow clean exclusive anon pages to be writable, with mm/huge_memory: try avoiding write faults when changing PMD protection (posted 8 Nov 2022, in mm-unstable on 16 Nov 2022 after v6.1-rc5, so the 6.2 merge window; absent from the 6.1 tree, the 6.12 tree: mm/mprotect.c:43 without the dirty test, mm/huge_memory.c:1905 can_change_pmd_writable())',
        confidence: 'H',
      },
    ],
  }),
  'madvise.pageout': policy({
    doc: 'Whether MADV_PAGEOUT (reclaim the given range now) exists.',
    kernel: 'mm/madvise.c:madvise_pageout',
    values: ['absent', 'present'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'madvise() refuses the unknown advice (-EINVAL)',
        confidence: 'H',
      },
      {
        since: 'v5.4',
        value: 'present',
        commit:
          'mm: introduce MADV_PAGEOUT (1a4e58cce84e; posted 26 Jul 2019, after the 5.3 merge window closed; the mainline commit is dated 25 Sep 2019 (syzbot bisection header), between v5.3 (15 Sep) and v5.4-rc1 (30 Sep); the 5.10 tree mm/madvise.c:549 madvise_pageout())',
        confidence: 'H',
      },
    ],
  }),
  'madvise.dontneedHugetlb': policy({
    doc: 'What MADV_DONTNEED does on a hugetlb mapping: refuse it (-EINVAL: can_madv_lru_vma() excludes VM_HUGETLB) or zap the huge entries like any other mapping (madvise_dontneed_free_valid_vma(); the start must be huge-page aligned and the length is rounded down to whole huge pages).',
    kernel: 'mm/madvise.c:madvise_dontneed_free_valid_vma',
    values: ['einval', 'zap'],
    history: [
      {
        since: 'v4.19',
        value: 'einval',
        commit:
          'madvise_dontneed_free() refuses VM_HUGETLB through can_madv_lru_vma() (the 5.10 tree: mm/madvise.c:777, mm/internal.h:63)',
        confidence: 'H',
      },
      {
        since: 'v5.18',
        value: 'zap',
        commit:
          'mm: enable MADV_DONTNEED for hugetlb mappings (90e7e7f5ef3f, posted 1 Feb 2022; the mainline commit is dated 24 Mar 2022 (its header as quoted on the LTP list), between v5.17 (20 Mar) and v5.18-rc1 (3 Apr): the 5.18 merge window; the 5.10 tree refuses, the 6.1, 6.12 and 7.2 trees: madvise_dontneed_free_valid_vma() at mm/madvise.c:797, 859 and 873)',
        confidence: 'H',
      },
    ],
  }),
  'madvise.collapse': policy({
    doc: 'Whether MADV_COLLAPSE (synchronous collapse of PTE-mapped memory into a THP) exists.',
    kernel: 'mm/khugepaged.c:madvise_collapse',
    values: ['absent', 'sync'],
    history: [
      {
        since: 'v4.19',
        value: 'absent',
        commit: 'only khugepaged collapses, asynchronously',
        confidence: 'H',
      },
      {
        since: 'v6.1',
        value: 'sync',
        commit: 'mm/madvise: introduce MADV_COLLAPSE sync hugepage collapse (7d8faaf15545)',
        confidence: 'H',
      },
    ],
  }),
  'madvise.collapseReadOnly': policy({
    doc: 'Whether a collapse refuses a range no PTE maps writable (SCAN_PAGE_RO: MADV_COLLAPSE fails with EINVAL).',
    kernel: 'mm/khugepaged.c:hpage_collapse_scan_pmd',
    values: ['scan-page-ro', 'allowed'],
    history: [
      {
        since: 'v4.19',
        value: 'scan-page-ro',
        commit: 'khugepaged collapses only a range with at least one writable PTE',
        confidence: 'H',
      },
      {
        since: 'v6.18',
        value: 'allowed',
        commit:
          'mm: enable khugepaged anonymous collapse on non-writable regions (62b98015d988, with mm: drop all references of writable and SCAN_PAGE_RO; in the mainline push of 3 Oct 2025, the 6.18 merge window; SCAN_PAGE_RO in the 6.12 tree, mm/khugepaged.c:692, not in the 7.2 tree)',
        confidence: 'H',
      },
    ],
  }),
  'thp.anonOrders': policy({
    doc: 'Which anonymous THP sizes a fault may allocate: the PMD size only, or every enabled size (mTHP).',
    kernel: 'mm/memory.c:alloc_anon_folio',
    values: ['pmd', 'multi-size'],
    history: [
      { since: 'v4.19', value: 'pmd', commit: 'anonymous THPs are PMD-sized', confidence: 'H' },
      {
        since: 'v6.8',
        value: 'multi-size',
        commit: 'mm: thp: support allocation of anonymous multi-size THP (19eaf44954df)',
        confidence: 'H',
      },
    ],
  }),
  'mm.slabRefcount': policy({
    doc: 'Whether a slab folio (kmalloc memory) has a reference count: get_page() and put_page() on it take and drop references like on any page, or it is frozen (refcount 0 for its whole life): get_page() warns and takes nothing, put_page() does nothing, iov_iter_get_pages2() on an ITER_BVEC skips it, and the slab frees it when its objects are freed, whoever still points at it.',
    kernel: 'include/linux/mm.h:get_page',
    values: ['counted', 'frozen'],
    history: [
      {
        since: 'v4.19',
        value: 'counted',
        commit:
          'slab pages are allocated with a reference (the 5.10, 6.1 and 6.12 trees: get_page() is folio_get())',
        confidence: 'H',
      },
      {
        since: 'v6.14',
        value: 'frozen',
        commit:
          'slab: allocate frozen pages (9aec2fb0fd5e; in mm-unstable on 5 Dec 2024, after v6.13-rc1, so the 6.14 merge window) and its fix mm: decline to manipulate the refcount on a slab page (b9c0e49abfca, posted 10 Mar 2025 for v6.14-rc; "That went to v6.14", Vlastimil Babka, on a later Fixes: of it); the 7.2 tree: include/linux/mm.h:2092 get_page() WARN_ON_ONCE(folio_test_slab()) and returns, 2190 put_page() returns, lib/iov_iter.c:1110 skips folio_get() on a slab folio; the 6.12 tree: get_page() is folio_get()',
        confidence: 'H',
      },
    ],
  }),
} as const;
