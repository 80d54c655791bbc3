import { releaseAtLeast, type Release } from '../../model/profile/release.js';

/**
 * Which cow.c a release ships: its result strings and skips changed four times after v6.2, so `pinlab cow --kernel vX`
 * prints what the cow.c of vX printed. Oldest first; a release before v6.2 (no cow.c) runs the v6.2
 * one. The test list itself is the 6.12 tree's in every edition (see the MODEL note of runCow).
 */
export interface CowEdition {
  readonly since: Release;
  /** The commit subject that made this edition, and where its strings were read. */
  readonly commit: string;
  /** H: read in a tree; M: the release inferred from merge lists, the strings from the nearest tree. */
  readonly confidence: 'H' | 'M';
  /** The hugetlb vmsplice() failures are reported as XFAIL instead of `not ok`. */
  readonly xfail: boolean;
  /**
   * Every result line carries the test's name (log_test_start() / log_test_result()) and its reason
   * goes in a `# ` message before it; main() ends with ksft_finished(): no `Bail out!` line, exit 1
   * when any test neither passed, xfailed nor skipped.
   */
  readonly names: boolean;
  /**
   * run_with_huge_zeropage() never populates the huge zeropage (FORCE_READ() of the pointer), so its
   * cases skip "Did not get THPs populated".
   */
  readonly hugeZeropageSkips: boolean;
  /**
   * main() asks for two free pages of every hugetlb size (hugetlb_setup(2, ...): raise nr_hugepages by
   * what is missing) and tests only the sizes that then have them; the others are neither planned nor
   * run. main() no longer prints "[INFO] huge zeropage is enabled" (detect_huge_zeropage() of
   * vm_util.c only answers), and a page the setup of a non-anonymous case cannot populate fails it.
   */
  readonly hugetlbSetup: boolean;
}

export const COW_EDITIONS: readonly CowEdition[] = [
  {
    since: 'v6.2',
    commit:
      'selftests/vm: anon_cow: test COW handling of anonymous memory (strings as in the 6.12 tree, without its XFAIL: every failure `not ok`, main() ends "Bail out! N out of M tests failed", exit 1)',
    confidence: 'M',
    xfail: false,
    names: false,
    hugeZeropageSkips: false,
    hugetlbSetup: false,
  },
  {
    since: 'v6.10',
    commit: 'selftests: mm: cow: flag vmsplice() hugetlb tests as XFAIL (the 6.12 tree)',
    confidence: 'M',
    xfail: true,
    names: false,
    hugeZeropageSkips: false,
    hugetlbSetup: false,
  },
  {
    since: 'v6.16',
    commit:
      'selftests/mm: report unique test names for each cow test (the 7.2 tree: log_test_result(), ksft_finished())',
    confidence: 'M',
    xfail: true,
    names: true,
    hugeZeropageSkips: false,
    hugetlbSetup: false,
  },
  {
    since: 'v6.17',
    commit:
      'selftests/mm: fix FORCE_READ to read input value correctly (5bbc2b785e63: the macro reads a value; cow.c kept passing pointers, so its huge zeropage cases skip until "selftests/mm: fix usage of FORCE_READ() in cow tests", Jan 2026, which names 5bbc2b785e63 and was backported to the 6.17 stable series)',
    confidence: 'M',
    xfail: true,
    names: true,
    hugeZeropageSkips: true,
    hugetlbSetup: false,
  },
  {
    since: 'v7.0',
    commit:
      'selftests/mm: fix usage of FORCE_READ() in cow tests (posted 7 Jan 2026 for the v7.0 merge window: the huge zeropage cases run again)',
    confidence: 'M',
    xfail: true,
    names: true,
    hugeZeropageSkips: false,
    hugetlbSetup: false,
  },
  {
    since: 'v7.2',
    commit:
      'the 7.2 tree (hugepage_settings.c: hugetlb_setup(2, ...) in cow.c main(), detect_huge_zeropage() without its [INFO] line, populate_page_checked(); "selftests/mm: fix usage of FORCE_READ() in cow tests" in it). Read in the tree and run on Debian 7.2.13 (docs/conformance/cow-7.2-lab.ktap); the releases between v7.0 and v7.2 that made each change were not read',
    confidence: 'H',
    xfail: true,
    names: true,
    hugeZeropageSkips: false,
    hugetlbSetup: true,
  },
];

/** The cow.c edition of a release. */
export function cowEdition(release: Release): CowEdition {
  let ed = COW_EDITIONS[0] as CowEdition;
  for (const e of COW_EDITIONS) if (releaseAtLeast(release, e.since)) ed = e;
  return ed;
}
