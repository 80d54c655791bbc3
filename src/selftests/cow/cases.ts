/**
 * cow.c's test tables (anon_test_cases[], anon_thp_test_cases[], non_anon_test_cases[]) as scenario
 * templates: what the parent thread T0 does to `mem` after the memory kind is set up, what the child C
 * does, and the condition `bad` that is the test's failure. Each body follows its cow.c function step
 * for step up to the result it prints: a memcpy() or memcmp() of `mem` is a `read`, a memset() a
 * `write`. Data tokens: "A" is cow.c's memset(mem, 1), "B" the parent's memset(mem, 0xff), "C" the
 * child's.
 *
 * MODEL: cow.c orders parent and child with pipes; pinlab checks every interleaving instead, and
 * `bad` asks whether any of them ends the way the failing test does. Steps after the result (the
 * child told to quit, buffers unregistered, pins released where nothing reads them) are left out,
 * as is clear_softdirty(), which pinlab does not model.
 */

/** The part of a scenario one test case writes. */
export interface TestBody {
  readonly decls: readonly string[];
  readonly parent: readonly string[];
  /** The child's operations: null when the test does not fork, [] when the child only stays alive. */
  readonly child: readonly string[] | null;
  readonly bad: string;
  /**
   * Policies the case runs with whatever the release: facts of the test's memory layout that a VMA's
   * one entry cannot show (see collapse()).
   */
  readonly set?: Readonly<Record<string, string>>;
}

/** What the test prints: ksft_test_result_pass()/_fail() messages, and whether hugetlb fails are XFAIL. */
export interface TestResult {
  readonly pass: string;
  readonly fail: string;
  /** From v6.16 (cowEdition): the `# ` message before a failure's result line, which names the test. */
  readonly failNote: string;
  readonly xfailOnHugetlb: boolean;
  /** The skip reason when the release lacks an operation the test needs (the real test's wording). */
  readonly unavailable: string;
  /** That reason as ksft_perror() prints it from v6.16, where cow.c takes it from errno. */
  readonly unavailablePerror?: string;
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
  failNote: 'Leak from parent into child',
  xfailOnHugetlb: false,
  unavailable: 'fork() failed',
};

const NO_LEAK_CHILD: TestResult = {
  pass: 'No leak from child into parent',
  fail: 'Leak from child into parent',
  failNote: 'Leak from child into parent',
  xfailOnHugetlb: true,
  unavailable: 'vmsplice() failed',
};

const RW_PIN: TestResult = {
  pass: 'Longterm R/W pin is reliable',
  fail: 'Longterm R/W pin is reliable',
  // sic: the 7.2 tree's cow.c:562.
  failNote: 'Longtom R/W pin is not reliable',
  xfailOnHugetlb: false,
  unavailable: 'io_uring_queue_init() failed',
};

const RO_PIN: TestResult = {
  pass: 'Longterm R/O pin is reliable',
  fail: 'Longterm R/O pin is reliable',
  failNote: 'Longterm R/O pin is not reliable',
  xfailOnHugetlb: false,
  unavailable: 'PIN_LONGTERM_TEST_START failed',
  unavailablePerror: 'PIN_LONGTERM_TEST_START failed: Invalid argument (22)',
  gupTest: true,
};

const MPROTECT_RO_RW = ['mprotect mem r', 'mprotect mem rw'];

/** do_test_cow_in_parent()'s parent: fork, maybe mprotect() R/O and back, memset(), wait for the child. */
function cowParent(mprotect: boolean): string[] {
  return ['fork C', ...(mprotect ? MPROTECT_RO_RW : []), 'write mem "B"', 'wait C'];
}

/** child_memcmp_fn(): the child's copy before the parent's write, compared with what it reads after. */
const CHILD_MEMCMP = ['read mem -> old', 'read mem -> new', 'exit'];

/** do_test_cow_in_parent() with child_memcmp_fn: does the child see the parent's later write? */
function cowInParent(mprotect: boolean): TestBody {
  return {
    decls: [],
    parent: cowParent(mprotect),
    child: CHILD_MEMCMP,
    bad: 'exists (T1:new != T1:old) as bad',
  };
}

/** do_test_cow_in_parent() with child_vmsplice_memcmp_fn: the child's pipe shows the parent's write. */
function vmspliceInChild(mprotect: boolean): TestBody {
  return {
    decls: ['pipe p'],
    parent: cowParent(mprotect),
    child: ['read mem -> old', 'vmsplice mem -> p', 'munmap mem', 'pipe-read p -> new', 'exit'],
    bad: 'exists (T1:new != T1:old) as bad',
  };
}

/** do_test_vmsplice_in_parent(): the parent's pipe shows what the child wrote after the parent unmapped. */
function vmspliceInParent(beforeFork: boolean): TestBody {
  const splice = 'vmsplice mem -> p';
  return {
    decls: ['pipe p'],
    parent: [
      'read mem -> old',
      ...(beforeFork ? [splice, 'fork C'] : ['fork C', splice]),
      'munmap mem',
      'wait C',
      'pipe-read p -> new',
    ],
    child: ['write mem "C"', 'exit'],
    bad: 'exists (T0:new != T0:old) as bad',
  };
}

/**
 * do_test_iouring(): register `mem` as a fixed buffer (a longterm R/W pin), then fork (the child stays
 * alive) or mprotect() it R/O and back, write it, write the fixed buffer to a file (the device
 * completes the write, io_uring_wait_cqe() waits for it) and read the file back: it must hold what
 * `mem` holds. MODEL: the file is written with O_DIRECT through iomap (cow.c writes a tmpfile with
 * buffered I/O); what the pinned page holds is the same either way.
 */
function iouring(fork: boolean): TestBody {
  return {
    decls: ['file f xfs = "Z"', 'agent device'],
    parent: [
      'uring register mem 0 -> reg',
      ...(fork ? ['fork C'] : MPROTECT_RO_RW),
      'write mem "B"',
      'uring write-fixed 0 iomap f[0] as w',
      'pread f[0] -> got',
      'read mem -> now',
    ],
    child: fork ? [] : null,
    bad: 'exists (T0:got != T0:now) as bad',
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
      'read mem -> now',
      'unpin h',
    ],
    child: child[test],
    bad: 'exists (T0:seen != T0:now) as bad',
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
  failNote: 'Leak from parent into child',
  xfailOnHugetlb: false,
  unavailable: 'MADV_COLLAPSE failed: Invalid argument',
  unavailablePerror: 'MADV_COLLAPSE failed: Invalid argument (22)',
};

type CollapseTest = 'unshared' | 'fully-shared' | 'lower-shared' | 'upper-shared';

/**
 * do_test_anon_thp_collapse() on a PMD-mapped THP: PTE-map it (cow.c mprotect()s one subpage R/O and
 * back), MADV_COLLAPSE it before fork() or after it (the child shares all of it, or only its lower or
 * upper half), then the parent writes and the child compares. A collapse that fails is the test's
 * skip (cow.ts reads its result). MODEL: a VMA maps the folio as one entry, so the half-shared forms
 * share all of it, without their MADV_DONTFORK and MADV_DOFORK of one half; but the parent still maps
 * the half it kept from the child writable, so its collapse finds a writable PTE on every release:
 * those cases run with the refusal of read-only ranges off.
 */
function collapse(test: CollapseTest): TestBody {
  const c = 'madvise mem collapse';
  const half = test === 'lower-shared' || test === 'upper-shared';
  return {
    decls: [],
    parent: [
      'split-pmd mem',
      ...(test === 'unshared' ? [c, 'fork C'] : ['fork C', c]),
      'write mem "B"',
      'wait C',
    ],
    child: CHILD_MEMCMP,
    bad: 'exists (T1:new != T1:old) as bad',
    ...(half ? { set: { 'madvise.collapseReadOnly': 'allowed' } } : {}),
  };
}

/** anon_thp_test_cases[] */
export const ANON_THP_TEST_CASES: readonly AnonTestCase[] = [
  {
    desc: 'Basic COW after fork() when collapsing before fork()',
    result: COLLAPSE,
    body: () => collapse('unshared'),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (fully shared)',
    result: COLLAPSE,
    body: () => collapse('fully-shared'),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (lower shared)',
    result: COLLAPSE,
    body: () => collapse('lower-shared'),
  },
  {
    desc: 'Basic COW after fork() when collapsing after fork() (upper shared)',
    result: COLLAPSE,
    body: () => collapse('upper-shared'),
  },
];

export interface NonAnonTestCase {
  readonly desc: string;
  readonly result: TestResult;
  body(): TestBody;
}

/** non_anon_test_cases[]: test_cow() and the R/O longterm pins on private non-anonymous memory. */
export const NON_ANON_TEST_CASES: readonly NonAnonTestCase[] = [
  {
    desc: 'Basic COW',
    result: {
      pass: 'Other mapping not modified',
      fail: 'Other mapping not modified',
      failNote: 'Other mapping modified',
      xfailOnHugetlb: false,
      unavailable: '',
    },
    body: () => ({
      decls: [],
      parent: ['read smem -> old', 'write mem "B"', 'read smem -> new'],
      child: null,
      bad: 'exists (T0:new != T0:old) as bad',
    }),
  },
  { desc: 'R/O longterm GUP pin', result: RO_PIN, body: () => roPin('plain', false) },
  { desc: 'R/O longterm GUP-fast pin', result: RO_PIN, body: () => roPin('plain', true) },
];
