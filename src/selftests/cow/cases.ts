/**
 * cow.c's test tables (anon_test_cases[], anon_thp_test_cases[], non_anon_test_cases[]) as scenario
 * templates: what the parent thread T0 does to `mem` after the memory kind is set up, what the child C
 * does, and the condition `bad` that is the test's failure. Data tokens: "A" is cow.c's memset(mem, 1),
 * "B" the parent's memset(mem, 0xff), "C" the child's.
 *
 * MODEL: cow.c orders parent and child with pipes; pinlab checks every interleaving instead, and
 * `bad` asks whether any of them ends the way the failing test does.
 */

/** The part of a scenario one test case writes. */
export interface TestBody {
  readonly decls: readonly string[];
  readonly parent: readonly string[];
  /** The child's operations: null when the test does not fork, [] when the child only stays alive. */
  readonly child: readonly string[] | null;
  readonly bad: string;
}

/** What the test prints: ksft_test_result_pass()/_fail() messages, and whether hugetlb fails are XFAIL. */
export interface TestResult {
  readonly pass: string;
  readonly fail: string;
  readonly xfailOnHugetlb: boolean;
  /** The skip reason when the release lacks an operation the test needs (the real test's wording). */
  readonly unavailable: string;
  /** The test drives gup_test's PIN_LONGTERM_TEST_* ioctls. */
  readonly gupTest?: boolean;
}

export interface AnonTestCase {
  readonly desc: string;
  readonly result: TestResult;
  body(): TestBody;
}

const NO_LEAK_PARENT: TestResult = {
  pass: 'No leak from parent into child',
  fail: 'Leak from parent into child',
  xfailOnHugetlb: false,
  unavailable: 'fork() failed',
};

const NO_LEAK_CHILD: TestResult = {
  pass: 'No leak from child into parent',
  fail: 'Leak from child into parent',
  xfailOnHugetlb: true,
  unavailable: 'vmsplice() failed',
};

const RW_PIN: TestResult = {
  pass: 'Longterm R/W pin is reliable',
  fail: 'Longterm R/W pin is reliable',
  xfailOnHugetlb: false,
  unavailable: 'io_uring_queue_init() failed',
};

const RO_PIN: TestResult = {
  pass: 'Longterm R/O pin is reliable',
  fail: 'Longterm R/O pin is reliable',
  xfailOnHugetlb: false,
  unavailable: 'PIN_LONGTERM_TEST_START failed',
  gupTest: true,
};

const MPROTECT_RO_RW = ['mprotect mem r', 'mprotect mem rw'];

/** do_test_cow_in_parent() with child_memcmp_fn: does the child see the parent's later write? */
function cowInParent(mprotect: boolean): TestBody {
  return {
    decls: [],
    parent: ['fork C', ...(mprotect ? MPROTECT_RO_RW : []), 'write mem "B"'],
    child: ['read mem -> seen'],
    bad: 'exists (T1:seen == "B") as bad',
  };
}

/** do_test_cow_in_parent() with child_vmsplice_memcmp_fn: the child's pipe shows the parent's write. */
function vmspliceInChild(mprotect: boolean): TestBody {
  return {
    decls: ['pipe p'],
    parent: ['fork C', ...(mprotect ? MPROTECT_RO_RW : []), 'write mem "B"'],
    child: ['vmsplice mem -> p', 'munmap mem', 'pipe-read p -> seen'],
    bad: 'exists (T1:seen == "B") as bad',
  };
}

/** do_test_vmsplice_in_parent(): the parent's pipe shows what the child wrote after the parent unmapped. */
function vmspliceInParent(beforeFork: boolean): TestBody {
  const splice = 'vmsplice mem -> p';
  return {
    decls: ['pipe p'],
    parent: [
      ...(beforeFork ? [splice, 'fork C'] : ['fork C', splice]),
      'munmap mem',
      'wait C',
      'pipe-read p -> seen',
    ],
    child: ['write mem "C"', 'exit'],
    bad: 'exists (T0:seen == "C") as bad',
  };
}

/**
 * do_test_iouring(): register `mem` as a fixed buffer (a longterm R/W pin), then fork (the child stays
 * alive) or mprotect() it R/O and back, write it, and write the fixed buffer to a file: the file must
 * hold the write. MODEL: the file is written with O_DIRECT through iomap (cow.c writes a tmpfile with
 * buffered I/O); what the pinned page holds is the same either way.
 */
function iouring(fork: boolean): TestBody {
  return {
    decls: ['file f xfs = "Z"'],
    parent: [
      'uring register mem 0 -> reg',
      ...(fork ? ['fork C'] : MPROTECT_RO_RW),
      'write mem "B"',
      'uring write-fixed 0 iomap f[0] as w',
      'pread f[0] -> got',
    ],
    child: fork ? [] : null,
    bad: 'exists (T0:got != "B") as bad',
  };
}

type RoPinTest = 'shared' | 'previously-shared' | 'ro-exclusive';

/** do_test_ro_pin(): a R/O longterm pin (gup_test PIN_LONGTERM_TEST_START) must see the later write. */
function roPin(test: RoPinTest | 'plain', fast: boolean): TestBody {
  const prelude: Record<RoPinTest | 'plain', string[]> = {
    plain: [],
    shared: ['fork C'],
    'previously-shared': ['fork C', 'wait C'],
    'ro-exclusive': MPROTECT_RO_RW,
  };
  const child: Record<RoPinTest | 'plain', string[] | null> = {
    plain: null,
    shared: [],
    'previously-shared': ['exit'],
    'ro-exclusive': null,
  };
  return {
    decls: [],
    parent: [
      ...prelude[test],
      `pin mem ${fast ? 'fast ' : ''}longterm as h`,
      'write mem "B"',
      'peek h -> seen',
      'unpin h',
    ],
    child: child[test],
    bad: 'exists (T0:seen != "B") as bad',
  };
}

/** anon_test_cases[] (the io_uring cases are those of a build with liburing). */
export const ANON_TEST_CASES: readonly AnonTestCase[] = [
  { desc: 'Basic COW after fork()', result: NO_LEAK_PARENT, body: () => cowInParent(false) },
  {
    desc: 'Basic COW after fork() with mprotect() optimization',
    result: NO_LEAK_PARENT,
    body: () => cowInParent(true),
  },
  {
    desc: 'vmsplice() + unmap in child',
    result: { ...NO_LEAK_PARENT, xfailOnHugetlb: true },
    body: () => vmspliceInChild(false),
  },
  {
    desc: 'vmsplice() + unmap in child with mprotect() optimization',
    result: { ...NO_LEAK_PARENT, xfailOnHugetlb: true },
    body: () => vmspliceInChild(true),
  },
  {
    desc: 'vmsplice() before fork(), unmap in parent after fork()',
    result: NO_LEAK_CHILD,
    body: () => vmspliceInParent(true),
  },
  {
    desc: 'vmsplice() + unmap in parent after fork()',
    result: NO_LEAK_CHILD,
    body: () => vmspliceInParent(false),
  },
  {
    desc: 'R/O-mapping a page registered as iouring fixed buffer',
    result: RW_PIN,
    body: () => iouring(false),
  },
  { desc: 'fork() with an iouring fixed buffer', result: RW_PIN, body: () => iouring(true) },
  { desc: 'R/O GUP pin on R/O-mapped shared page', result: RO_PIN, body: () => roPin('shared', false) },
  { desc: 'R/O GUP-fast pin on R/O-mapped shared page', result: RO_PIN, body: () => roPin('shared', true) },
  {
    desc: 'R/O GUP pin on R/O-mapped previously-shared page',
    result: RO_PIN,
    body: () => roPin('previously-shared', false),
  },
  {
    desc: 'R/O GUP-fast pin on R/O-mapped previously-shared page',
    result: RO_PIN,
    body: () => roPin('previously-shared', true),
  },
  {
    desc: 'R/O GUP pin on R/O-mapped exclusive page',
    result: RO_PIN,
    body: () => roPin('ro-exclusive', false),
  },
  {
    desc: 'R/O GUP-fast pin on R/O-mapped exclusive page',
    result: RO_PIN,
    body: () => roPin('ro-exclusive', true),
  },
];

const COLLAPSE: TestResult = {
  pass: 'No leak from parent into child',
  fail: 'No leak from parent into child',
  xfailOnHugetlb: false,
  unavailable: 'MADV_COLLAPSE failed: Invalid argument',
};

/**
 * do_test_anon_thp_collapse(): MADV_COLLAPSE the PTE-mapped THP before fork(), or after it (the
 * child shares all of it, or only its lower or upper half), then the parent writes. MODEL: the
 * half-shared forms are checked as fully shared (a VMA maps the folio as one entry).
 */
function collapse(beforeFork: boolean): TestBody {
  const c = 'madvise mem collapse';
  return {
    decls: [],
    parent: [...(beforeFork ? [c, 'fork C'] : ['fork C', c]), 'write mem "B"'],
    child: ['read mem -> seen'],
    bad: 'exists (T1:seen == "B") as bad',
  };
}

/** anon_thp_test_cases[] */
export const ANON_THP_TEST_CASES: readonly AnonTestCase[] = [
  {
    desc: 'Basic COW after fork() when collapsing before fork()',
    result: COLLAPSE,
    body: () => collapse(true),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (fully shared)',
    result: COLLAPSE,
    body: () => collapse(false),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (lower shared)',
    result: COLLAPSE,
    body: () => collapse(false),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (upper shared)',
    result: COLLAPSE,
    body: () => collapse(false),
  },
];

export interface NonAnonTestCase {
  readonly desc: string;
  readonly result: TestResult;
  /** `original`: what the other mapping held before the write. */
  body(original: string): TestBody;
}

/** non_anon_test_cases[]: test_cow() and the R/O longterm pins on private non-anonymous memory. */
export const NON_ANON_TEST_CASES: readonly NonAnonTestCase[] = [
  {
    desc: 'Basic COW',
    result: {
      pass: 'Other mapping not modified',
      fail: 'Other mapping not modified',
      xfailOnHugetlb: false,
      unavailable: '',
    },
    body: (original) => ({
      decls: [],
      parent: ['write mem "B"', 'read smem -> seen'],
      child: null,
      bad: `exists (T0:seen != "${original}") as bad`,
    }),
  },
  { desc: 'R/O longterm GUP pin', result: RO_PIN, body: () => roPin('plain', false) },
  { desc: 'R/O longterm GUP-fast pin', result: RO_PIN, body: () => roPin('plain', true) },
];
