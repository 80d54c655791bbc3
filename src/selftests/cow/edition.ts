import { releaseAtLeast, type Release } from '../../model/profile/release.js';

/**
 * Which cow.c a release ships: its result strings changed twice after v6.2, so `pinlab cow --kernel vX`
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
}

export const COW_EDITIONS: readonly CowEdition[] = [
  {
    since: 'v6.2',
    commit:
      'selftests/vm: anon_cow: test COW handling of anonymous memory (strings as in the 6.12 tree, without its XFAIL: every failure `not ok`, main() ends "Bail out! N out of M tests failed", exit 1)',
    confidence: 'M',
    xfail: false,
    names: false,
  },
  {
    since: 'v6.10',
    commit: 'selftests: mm: cow: flag vmsplice() hugetlb tests as XFAIL (the 6.12 tree)',
    confidence: 'M',
    xfail: true,
    names: false,
  },
  {
    since: 'v6.16',
    commit:
      'selftests/mm: report unique test names for each cow test (the 7.2 tree: log_test_result(), ksft_finished())',
    confidence: 'M',
    xfail: true,
    names: true,
  },
];

/** The cow.c edition of a release. */
export function cowEdition(release: Release): CowEdition {
  let ed = COW_EDITIONS[0] as CowEdition;
  for (const e of COW_EDITIONS) if (releaseAtLeast(release, e.since)) ed = e;
  return ed;
}
