/**
 * gup_longterm.c's test table (test_cases[]) and its do_test() sequences as scenario templates: one
 * `.pin` scenario per test case and memory kind, whose thread does what do_test() does after the file
 * exists: mmap() it shared or private, memset() it, mprotect() it R/O for the R/O pins, then
 * PIN_LONGTERM_TEST_START / _STOP (gup_test's pin_user_pages*() with FOLL_LONGTERM), or
 * io_uring_register_buffers() and the ring's teardown.
 */

/** enum test_type: R/O or R/W pin through gup_test, with or without GUP-fast, or an io_uring fixed buffer. */
export type TestType = 'ro' | 'ro-fast' | 'rw' | 'rw-fast' | 'iouring';

export interface TestCase {
  /** test_cases[].desc, as `[RUN] <desc> ... with <kind>` prints it. */
  readonly desc: string;
  readonly type: TestType;
  /** MAP_SHARED (true) or MAP_PRIVATE. */
  readonly shared: boolean;
}

/** test_cases[], in order; the two io_uring cases exist only in a build with liburing. */
export const TEST_CASES: readonly TestCase[] = [
  { desc: 'R/W longterm GUP pin in MAP_SHARED file mapping', type: 'rw', shared: true },
  { desc: 'R/W longterm GUP-fast pin in MAP_SHARED file mapping', type: 'rw-fast', shared: true },
  { desc: 'R/O longterm GUP pin in MAP_SHARED file mapping', type: 'ro', shared: true },
  { desc: 'R/O longterm GUP-fast pin in MAP_SHARED file mapping', type: 'ro-fast', shared: true },
  { desc: 'R/W longterm GUP pin in MAP_PRIVATE file mapping', type: 'rw', shared: false },
  { desc: 'R/W longterm GUP-fast pin in MAP_PRIVATE file mapping', type: 'rw-fast', shared: false },
  { desc: 'R/O longterm GUP pin in MAP_PRIVATE file mapping', type: 'ro', shared: false },
  { desc: 'R/O longterm GUP-fast pin in MAP_PRIVATE file mapping', type: 'ro-fast', shared: false },
  { desc: 'io_uring fixed buffer with MAP_SHARED file mapping', type: 'iouring', shared: true },
  { desc: 'io_uring fixed buffer with MAP_PRIVATE file mapping', type: 'iouring', shared: false },
];

/** The register the scenario leaves the pin's or the registration's result in. */
export const RESULT_REG = 'ret';

/** What the scenario's condition `bad` compares the result register with. */
export interface BadCondition {
  readonly op: '==' | '!=';
  /** The values the test's passing branch needs (`!=` all of them is bad) or the one that fails it. */
  readonly values: readonly string[];
}

/** The memory a case runs on: the file declaration and the `map` attributes after `shared|private`. */
export interface CaseMemory {
  readonly fileDecl: string;
  readonly page: string;
}

export function isFast(type: TestType): boolean {
  return type === 'ro-fast' || type === 'rw-fast';
}

export function isRw(type: TestType): boolean {
  return type === 'rw' || type === 'rw-fast';
}

/** The thread's operations after the mapping exists: do_test() from memset() to munmap(). */
function body(type: TestType): string[] {
  // memset(mem, 0, size): fault the page in (writable) so that GUP-fast finds it.
  const ops = ['write mem "0"'];
  if (type === 'iouring') {
    // io_uring_register_buffers() pins FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM; io_uring_queue_exit()
    // (and io_uring_unregister_buffers() after a success) drops the buffer again.
    ops.push(`uring register mem 0 -> ${RESULT_REG}`, 'uring unregister 0');
  } else {
    if (!isRw(type)) ops.push('mprotect mem r');
    const words = [
      'pin mem',
      ...(isFast(type) ? ['fast'] : []),
      ...(isRw(type) ? ['write'] : []),
      'longterm',
    ];
    // PIN_LONGTERM_TEST_START, then PIN_LONGTERM_TEST_STOP (which unpins whatever was pinned).
    ops.push(`${words.join(' ')} as ${RESULT_REG}`, `unpin ${RESULT_REG}`);
  }
  ops.push('munmap mem');
  return ops;
}

function quote(s: string): string {
  return `"${s}"`;
}

/** `exists (...) as bad`: the register compared with each value (all of them, joined by `and`). */
function badText(c: BadCondition): string {
  const terms = c.values.map((v) => `T0:${RESULT_REG} ${c.op} ${quote(v)}`);
  return `exists (${terms.join(' and ')}) as bad`;
}

/** The `.pin` text of one test case on one memory kind. */
export function caseScenario(t: TestCase, kindLabel: string, mem: CaseMemory, bad: BadCondition): string {
  const attrs = mem.page === '' ? '' : ` ${mem.page}`;
  const lines = [
    'scenario gup-longterm',
    `intent: gup_longterm.c "${t.desc} ... with ${kindLabel}"`,
    'source: tools/testing/selftests/mm/gup_longterm.c (the 6.12 tree)',
    mem.fileDecl,
    'process P',
    `  map mem file f ${t.shared ? 'shared' : 'private'}${attrs}`,
    'thread T0 in P',
    ...body(t.type).map((op) => `  ${op}`),
    badText(bad),
  ];
  return `${lines.join('\n')}\n`;
}
