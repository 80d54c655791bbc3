import type { FsType } from '../../model/include/fs.js';
import type { SelftestMachine } from '../selftest.js';

/**
 * What gup_longterm.c finds on the machine beyond SelftestMachine: where its temporary files live,
 * whether gup_test can be opened, how it was built, and how many free hugetlb pages there are.
 */
export interface GupLongtermSetup {
  /** The filesystem of P_tmpdir (/tmp), where tmpfile() creates its file. */
  readonly tmpfileFs: FsType;
  /** The filesystem of the directory the test runs in: mkstemp(__FILE__"_tmpfile_XXXXXX"). */
  readonly localTmpfileFs: FsType;
  /** open("/sys/kernel/debug/gup_test") can work: debugfs is mounted and the kernel has CONFIG_GUP_TEST. */
  readonly gupTestConfigured: boolean;
  /** Built with liburing (LOCAL_CONFIG_HAVE_LIBURING): test_cases[] has the two io_uring cases. */
  readonly liburing: boolean;
  /**
   * liburing's io_uring_register_buffers() sets errno: it calls the kernel through libc's syscall()
   * (a build with --use-libc, or an architecture without liburing's own syscall code). liburing 2.x on
   * x86-64 and arm64 makes the system call itself and only returns -errno, so gup_longterm.c's
   * `errno == EFAULT` tests whatever errno an earlier call left behind.
   */
  readonly liburingSetsErrno: boolean;
  /** Free hugetlb pages per page size in KiB; sizes not listed have FREE_HUGETLB_DEFAULT. */
  readonly freeHugetlbPages: Readonly<Record<number, number>>;
}

/** Enough free huge pages for every case: one for fallocate(), one more a MAP_PRIVATE mmap() reserves. */
export const FREE_HUGETLB_DEFAULT = 2;

/**
 * The defaults of `pinlab gup-longterm`: gup_test available, built with a current liburing on x86-64,
 * /tmp and the test's directory on ext4.
 * MODEL: tmpfile() and the local tmpfile land on a disk filesystem; ext4 stands for it (as for cow.c).
 */
export const DEFAULT_GUP_LONGTERM_SETUP: GupLongtermSetup = {
  tmpfileFs: 'ext4',
  localTmpfileFs: 'ext4',
  gupTestConfigured: true,
  liburing: true,
  liburingSetsErrno: false,
  freeHugetlbPages: {},
};

/** A memory kind: what `[RUN] ... with <label>` prints, the file's filesystem and its page size. */
export interface MemoryKind {
  readonly label: string;
  readonly fs: FsType;
  /** The hugetlb page size in KiB, or 0 for a base page (the test's size is the page size). */
  readonly hugetlbKb: number;
}

/** `map` attribute of a hugetlb page size. */
export function hugetlbPage(kb: number): string {
  return kb >= 1048576 ? `page=hugetlb-${kb / 1048576}G` : `page=hugetlb-${kb / 1024}M`;
}

/**
 * run_test_case(): run_with_memfd(), run_with_tmpfile(), run_with_local_tmpfile(), then
 * run_with_memfd_hugetlb() for each hugetlb size detect_hugetlb_page_sizes() found.
 */
export function memoryKinds(m: SelftestMachine, s: GupLongtermSetup): MemoryKind[] {
  return [
    { label: 'memfd', fs: 'shmem', hugetlbKb: 0 },
    { label: 'tmpfile', fs: s.tmpfileFs, hugetlbKb: 0 },
    { label: 'local tmpfile', fs: s.localTmpfileFs, hugetlbKb: 0 },
    ...m.hugetlbSizesKb.map((kb) => ({
      label: `memfd hugetlb (${kb} kB)`,
      fs: 'hugetlbfs' as const,
      hugetlbKb: kb,
    })),
  ];
}

/** fs_is_unknown(): the test only judges R/W longterm pins on tmpfs, hugetlbfs, btrfs, ext4 and xfs. */
export function fsIsUnknown(fs: FsType): boolean {
  return !(fs === 'shmem' || fs === 'hugetlbfs' || fs === 'btrfs' || fs === 'ext4' || fs === 'xfs');
}

/** fs_supports_writable_longterm_pinning(): what the test expects of each known filesystem. */
export function fsSupportsWritableLongtermPinning(fs: FsType): boolean {
  return fs === 'shmem' || fs === 'hugetlbfs';
}
