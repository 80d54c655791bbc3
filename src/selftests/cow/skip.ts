import { EAGAIN, EBUSY, EINVAL, ENOMEM, ENOSPC } from '../../model/include/errno.js';
import type { TestResult } from './cases.js';

/**
 * Why cow.c skips a test, as it prints it. Up to v6.15 the reason is the skip's result line; from
 * v6.16 (cowEdition's `names`) it is a `# ` message before a result line that names the test, and the
 * reasons that came from errno are ksft_perror()'s "MSG: STRERROR (ERRNO)".
 */
export interface Skip {
  readonly reason: string;
  /** The ksft_perror() form, or null where cow.c prints the reason with ksft_print_msg(). */
  readonly perror: string | null;
  /**
   * The skip's result line keeps its own message even from v6.16: run_with_huge_zeropage()'s
   * ksft_test_result_skip("Did not get THPs populated"), which log_test_result() never replaced.
   */
  readonly ownLine?: boolean;
}

export function plain(reason: string): Skip {
  return { reason, perror: null };
}

/** strerror() of the errors cow.c's skips print. */
const STRERROR: Readonly<Record<number, string>> = {
  [EINVAL]: 'Invalid argument',
  [EAGAIN]: 'Resource temporarily unavailable',
  [ENOMEM]: 'Cannot allocate memory',
  [EBUSY]: 'Device or resource busy',
  [ENOSPC]: 'No space left on device',
};

/** ksft_test_result_skip("MSG: %s", strerror(errno)) up to v6.15, ksft_perror("MSG") from v6.16. */
export function perror(msg: string, errno: number): Skip {
  const str = STRERROR[errno] ?? `errno ${errno}`;
  return { reason: `${msg}: ${str}`, perror: `${msg}: ${str} (${errno})` };
}

/** The skip of a case whose operation the release lacks. */
export function unavailable(result: TestResult): Skip {
  return { reason: result.unavailable, perror: result.unavailablePerror ?? null };
}

/** "need more free huge pages": up to v6.15 the result line, from v6.16 ksft_perror() with the errno. */
function hugePages(errno: number): Skip {
  const str = STRERROR[errno] ?? `errno ${errno}`;
  return { reason: 'need more free huge pages', perror: `need more free huge pages: ${str} (${errno})` };
}

/**
 * run_with_hugetlb(): a private MAP_HUGETLB mmap() reserves one page (ENOMEM without it), memset()
 * faults it in, and a second, dummy mmap() checks that the COW of the test will find another.
 * @kernel mm/hugetlb.c:hugetlb_reserve_pages
 */
export function anonHugetlbSkip(free: number): Skip | null {
  return free < 2 ? hugePages(ENOMEM) : null;
}

/**
 * run_with_memfd_hugetlb(): fallocate() of one page of a hugetlb memfd fails with ENOSPC without a
 * free page (alloc_hugetlb_folio()'s error); the MAP_PRIVATE mmap() of it then reserves one more for
 * the private copy, ENOMEM without it.
 * @kernel fs/hugetlbfs/inode.c:hugetlbfs_fallocate
 * @kernel mm/hugetlb.c:hugetlb_reserve_pages
 */
export function memfdHugetlbSkip(free: number): Skip | null {
  if (free < 1) return hugePages(ENOSPC);
  return free < 2 ? hugePages(ENOMEM) : null;
}

/**
 * run_with_huge_zeropage() on the v6.17 edition: FORCE_READ(mem) read the pointer, not the memory
 * ("selftests/mm: fix FORCE_READ to read input value correctly" changed the macro to take a value;
 * cow.c's calls were fixed by "selftests/mm: fix usage of FORCE_READ() in cow tests"), so nothing
 * populated the huge zeropage and every huge zeropage case skipped.
 */
export const THPS_NOT_POPULATED: Skip = {
  reason: 'Did not get THPs populated',
  perror: null,
  ownLine: true,
};
