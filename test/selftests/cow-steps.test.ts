import { describe, expect, it } from 'vitest';
import { ANON_TEST_CASES, ANON_THP_TEST_CASES, NON_ANON_TEST_CASES } from '../../src/selftests/cow/cases.js';
import { anonText, nonAnonText } from '../../src/selftests/cow/index.js';
import { anonKinds, collapseKind, nonAnonKinds } from '../../src/selftests/cow/kinds.js';
import { DEFAULT_MACHINE } from '../../src/selftests/selftest.js';
import { cowEdition } from '../../src/selftests/cow/edition.js';

/**
 * The steps of each test function of cow.c (the 6.12 tree), written from its source, as pinlab
 * operations: memcpy()/memcmp() of `mem` (or `smem`) a read, memset() a write, fork() and wait(),
 * vmsplice(), munmap(), mprotect(), the pipe read, io_uring's register, WRITE_FIXED and pread(),
 * gup_test's PIN_LONGTERM_TEST_START/_READ/_STOP, MADV_COLLAPSE. Up to the result the test prints;
 * clear_softdirty() and the half-range MADV_DONTFORK/MADV_DOFORK are not modelled (see cases.ts).
 */
interface Steps {
  readonly parent: readonly string[];
  /** null: the test does not fork; []: the child only waits until the result is printed. */
  readonly child: readonly string[] | null;
}

// child_memcmp_fn(): memcpy(old, mem), wait for the parent, memcmp(old, mem), exit().
const CHILD_MEMCMP = ['read mem -> old', 'read mem -> new', 'exit'];
// child_vmsplice_memcmp_fn(): memcpy(old, mem), vmsplice(), munmap(), wait, read(fds[0]), exit().
const CHILD_VMSPLICE = ['read mem -> old', 'vmsplice mem -> p', 'munmap mem', 'pipe-read p -> new', 'exit'];
// do_test_cow_in_parent(): fork(), [mprotect(R), mprotect(RW)], memset(mem, 0xff), wait().
const PARENT = ['fork C', 'write mem "B"', 'wait C'];
const PARENT_MPROTECT = ['fork C', 'mprotect mem r', 'mprotect mem rw', 'write mem "B"', 'wait C'];
// do_test_iouring(): register, fork() or mprotect() R/O and back, memset(), WRITE_FIXED, pread(), memcmp().
const iouring = (between: string[]): string[] => [
  'uring register mem 0 -> reg',
  ...between,
  'write mem "B"',
  'uring write-fixed 0 iomap f[0] as w',
  'pread f[0] -> got',
  'read mem -> now',
];
// do_test_ro_pin(): [fork() | fork(), quit child, wait() | mprotect() R/O and back], START, memset(),
// READ, memcmp(mem, tmp), STOP.
const roPin = (before: string[], fast: boolean): string[] => [
  ...before,
  `pin mem ${fast ? 'fast ' : ''}longterm as h`,
  'write mem "B"',
  'peek h -> seen',
  'read mem -> now',
  'unpin h',
];
// do_test_anon_thp_collapse(): mprotect() one subpage R/O and back (PTE-maps the THP), then
// MADV_COLLAPSE before or after fork(), memset(), wait().
const collapseAfterFork = ['split-pmd mem', 'fork C', 'madvise mem collapse', 'write mem "B"', 'wait C'];

const COW_C: Readonly<Record<string, Steps>> = {
  'Basic COW after fork()': { parent: PARENT, child: CHILD_MEMCMP },
  'Basic COW after fork() with mprotect() optimization': { parent: PARENT_MPROTECT, child: CHILD_MEMCMP },
  'vmsplice() + unmap in child': { parent: PARENT, child: CHILD_VMSPLICE },
  'vmsplice() + unmap in child with mprotect() optimization': {
    parent: PARENT_MPROTECT,
    child: CHILD_VMSPLICE,
  },
  // do_test_vmsplice_in_parent(): memcpy(old, mem), [vmsplice()], fork(), [vmsplice()], munmap(),
  // wait(), read(fds[0]); the child: memset(mem, 0xff), exit().
  'vmsplice() before fork(), unmap in parent after fork()': {
    parent: ['read mem -> old', 'vmsplice mem -> p', 'fork C', 'munmap mem', 'wait C', 'pipe-read p -> new'],
    child: ['write mem "C"', 'exit'],
  },
  'vmsplice() + unmap in parent after fork()': {
    parent: ['read mem -> old', 'fork C', 'vmsplice mem -> p', 'munmap mem', 'wait C', 'pipe-read p -> new'],
    child: ['write mem "C"', 'exit'],
  },
  'R/O-mapping a page registered as iouring fixed buffer': {
    parent: iouring(['mprotect mem r', 'mprotect mem rw']),
    child: null,
  },
  'fork() with an iouring fixed buffer': { parent: iouring(['fork C']), child: [] },
  'R/O GUP pin on R/O-mapped shared page': { parent: roPin(['fork C'], false), child: [] },
  'R/O GUP-fast pin on R/O-mapped shared page': { parent: roPin(['fork C'], true), child: [] },
  'R/O GUP pin on R/O-mapped previously-shared page': {
    parent: roPin(['fork C', 'wait C'], false),
    child: ['exit'],
  },
  'R/O GUP-fast pin on R/O-mapped previously-shared page': {
    parent: roPin(['fork C', 'wait C'], true),
    child: ['exit'],
  },
  'R/O GUP pin on R/O-mapped exclusive page': {
    parent: roPin(['mprotect mem r', 'mprotect mem rw'], false),
    child: null,
  },
  'R/O GUP-fast pin on R/O-mapped exclusive page': {
    parent: roPin(['mprotect mem r', 'mprotect mem rw'], true),
    child: null,
  },
  'Basic COW after fork() when collapsing before fork()': {
    parent: ['split-pmd mem', 'madvise mem collapse', 'fork C', 'write mem "B"', 'wait C'],
    child: CHILD_MEMCMP,
  },
  'Basic COW after fork() when collapsing after fork() (fully shared)': {
    parent: collapseAfterFork,
    child: CHILD_MEMCMP,
  },
  'Basic COW after fork() when collapsing after fork() (lower shared)': {
    parent: collapseAfterFork,
    child: CHILD_MEMCMP,
  },
  'Basic COW after fork() when collapsing after fork() (upper shared)': {
    parent: collapseAfterFork,
    child: CHILD_MEMCMP,
  },
  // test_cow(): memcpy(old, smem), memset(mem, 0xff), memcmp(smem, old).
  'Basic COW': { parent: ['read smem -> old', 'write mem "B"', 'read smem -> new'], child: null },
  'R/O longterm GUP pin': { parent: roPin([], false), child: null },
  'R/O longterm GUP-fast pin': { parent: roPin([], true), child: null },
};

/** The operations of `thread NAME` in a generated scenario, or null when it has none. */
function threadOps(text: string, thread: string): string[] | null {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`thread ${thread} in `));
  if (at < 0) return null;
  const end = lines.findIndex((l, i) => i > at && !l.startsWith('  '));
  return lines.slice(at + 1, end).map((l) => l.trim());
}

/** T0's operations after the memory kind's own (cow.c's "partially shared" child X). */
function testOps(text: string): string[] {
  const ops = threadOps(text, 'T0') ?? [];
  return ops[0] === 'fork X' && ops[1] === 'wait X' ? ops.slice(2) : ops;
}

function expectSteps(desc: string, text: string): void {
  const want = COW_C[desc];
  if (want === undefined) throw new Error(`no cow.c steps written for '${desc}'`);
  expect(testOps(text), desc).toEqual(want.parent);
  // A child that only waits has no operations, and no thread in the scenario.
  expect(threadOps(text, 'T1'), desc).toEqual(
    want.child === null || want.child.length === 0 ? null : want.child,
  );
  expect(text.includes('process C forked'), desc).toBe(want.child !== null);
}

describe("each generated cow case follows its cow.c test function's steps", () => {
  const m = DEFAULT_MACHINE;
  it.each(ANON_TEST_CASES.map((t) => [t.desc, t] as const))('%s, on every memory kind', (desc, t) => {
    for (const kind of anonKinds(m)) expectSteps(desc, anonText(desc, kind, t.body()));
  });
  it.each(ANON_THP_TEST_CASES.map((t) => [t.desc, t] as const))('%s', (desc, t) => {
    expectSteps(desc, anonText(desc, collapseKind(m), t.body()));
  });
  it.each(NON_ANON_TEST_CASES.map((t) => [t.desc, t] as const))('%s, on every memory kind', (desc, t) => {
    for (const kind of nonAnonKinds(m, cowEdition('v7.2')))
      expectSteps(desc, nonAnonText(desc, kind, t.body()));
  });

  it('the io_uring cases run the device that completes their write', () => {
    for (const t of ANON_TEST_CASES.filter((x) => x.desc.includes('iouring')))
      expect(anonText(t.desc, anonKinds(m)[0]!, t.body()).split('\n')).toContain('agent device');
  });
});
