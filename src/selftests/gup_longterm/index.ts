import type { Trace } from '../../check/index.js';
import { EFAULT, EINVAL, ENOMEM, ENOSPC, ENOSYS, EOPNOTSUPP } from '../../model/include/errno.js';
import { retString } from '../../model/ops/dio.js';
import type { KernelProfile } from '../../model/profile/profiles.js';
import { releaseAtLeast } from '../../model/profile/release.js';
import {
  ksftFinished,
  ksftPrintHeader,
  ksftPrintMsg,
  ksftSetPlan,
  ksftTestResult,
  type Ksft,
} from '../kselftest.js';
import { checkCase, parseCase } from '../scenario.js';
import type { Selftest, SelftestMachine } from '../selftest.js';
import { caseScenario, isRw, TEST_CASES, type BadCondition, type TestCase } from './cases.js';
import {
  DEFAULT_GUP_LONGTERM_SETUP,
  FREE_HUGETLB_DEFAULT,
  fsIsUnknown,
  fsSupportsWritableLongtermPinning,
  hugetlbPage,
  memoryKinds,
  type GupLongtermSetup,
  type MemoryKind,
} from './kinds.js';

export { DEFAULT_GUP_LONGTERM_SETUP, type GupLongtermSetup } from './kinds.js';

const ENOENT = 2;

/** The errno values gup_longterm.c's io_uring case reads as "the kernel refused the buffer". */
const URING_REFUSALS: readonly number[] = [ENOSPC, EOPNOTSUPP, EFAULT];

/**
 * The state of the test program between cases that decides what it prints: its `errno` (the io_uring
 * case tests errno, which a liburing that does not set it leaves at an earlier call's value) and
 * whether it could open gup_test.
 * MODEL: errno is 0 at start, and only the calls below set it (the others succeed).
 */
interface Program {
  readonly k: Ksft;
  readonly profile: KernelProfile;
  readonly setup: GupLongtermSetup;
  /** gup_fd >= 0. */
  readonly gupTest: boolean;
  /** The lab's module answers gup_test, with the PIN_LONGTERM_TEST ioctls on every release. */
  readonly standIn: boolean;
  /** errno, or null for "one of URING_REFUSALS" (only the regime where io_uring sets it leaves that). */
  errno: number | null;
}

/** What one case's model check says the pin or registration returned. */
type Outcome =
  | { readonly kind: 'ret'; readonly ret: number }
  /** The test's passing branch was taken, without a trace that would say the exact errno. */
  | { readonly kind: 'expected' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'inconclusive'; readonly bound: string }
  /** No interleaving completed the case (see CaseVerdict). */
  | { readonly kind: 'vacuous'; readonly reason: string };

/** The return value of the case's pin or registration step in the row's trace. */
function traceRet(trace: Trace | null): number {
  const step = trace?.steps.find((s) => s.op === 'gup' || s.op === 'uring-register');
  if (step?.ret === null || step?.ret === undefined)
    throw new Error('gup_longterm: the trace of bad has no pin or registration step');
  return step.ret;
}

/** Check the case's scenario: `bad` holds where the model contradicts the test's passing branch. */
function outcome(p: Program, t: TestCase, kind: MemoryKind, bad: BadCondition): Outcome {
  const text = caseScenario(
    t,
    kind.label,
    {
      fileDecl: `file f ${kind.fs} = "F"`,
      page: kind.hugetlbKb === 0 ? '' : hugetlbPage(kind.hugetlbKb),
    },
    bad,
  );
  const v = checkCase(parseCase(text, 'gup_longterm.pin'), p.profile);
  if (v.kind === 'unavailable') return { kind: 'unavailable' };
  if (v.kind === 'vacuous') return v;
  switch (v.row.verdict) {
    case 'unavailable':
      return { kind: 'unavailable' };
    case 'never':
      return { kind: 'expected' };
    case 'inconclusive':
      return { kind: 'inconclusive', bound: v.row.bound ?? '' };
    // MODEL: the case is one thread, so `sometimes` needs a kernel agent's interleaving; a run of the
    // real test could end the way the trace does, and that is what is reported.
    case 'sometimes':
    case 'always':
      return { kind: 'ret', ret: traceRet(v.row.trace) };
  }
}

/** Why a case's check judged nothing, as its error line says it. */
function notJudged(o: Extract<Outcome, { kind: 'inconclusive' | 'vacuous' }>): string {
  return o.kind === 'vacuous' ? o.reason : `inconclusive, bound reached (${o.bound})`;
}

/**
 * do_test() for TEST_TYPE_RO/_RO_FAST/_RW/_RW_FAST after the memory is set up: PIN_LONGTERM_TEST_START
 * (gup_test pins the range with pin_user_pages*(FOLL_LONGTERM [| FOLL_WRITE])), then _STOP.
 * @kernel mm/gup_test.c:pin_longterm_test_start
 */
function pinTest(p: Program, t: TestCase, kind: MemoryKind): void {
  const { k } = p;
  const rw = isRw(t.type);
  if (!p.gupTest) {
    ksftTestResult(k, 'skip', 'gup_test not available');
    return;
  }
  if (rw && t.shared && fsIsUnknown(kind.fs)) {
    ksftTestResult(k, 'skip', 'Unknown filesystem');
    return;
  }
  const shouldWork = !t.shared || !rw || fsSupportsWritableLongtermPinning(kind.fs);
  // A gup_test without PIN_LONGTERM_TEST_* answers every unknown ioctl with -EINVAL.
  if (!p.standIn && p.profile.policies['gup.testInterface'] !== 'pin-longterm-test') {
    p.errno = EINVAL;
    ksftTestResult(k, 'skip', 'PIN_LONGTERM_TEST_START failed');
    return;
  }
  // The pin op's register holds the pages pinned (1: the one entry) or -errno.
  const o = outcome(p, t, kind, { op: '!=', values: [shouldWork ? '1' : String(-EFAULT)] });
  if (o.kind === 'inconclusive' || o.kind === 'vacuous') {
    ksftTestResult(k, 'error', `PIN_LONGTERM_TEST_START: ${notJudged(o)}`);
    return;
  }
  if (o.kind === 'unavailable') {
    p.errno = EINVAL;
    ksftTestResult(k, 'skip', 'PIN_LONGTERM_TEST_START failed');
    return;
  }
  const ret = o.kind === 'ret' ? o.ret : shouldWork ? 1 : -EFAULT;
  if (ret < 0) p.errno = -ret;
  if (ret === -EINVAL) ksftTestResult(k, 'skip', 'PIN_LONGTERM_TEST_START failed');
  else if (ret === -EFAULT) ksftTestResult(k, shouldWork ? 'fail' : 'pass', 'Should have failed');
  else if (ret < 0) ksftTestResult(k, 'fail', 'PIN_LONGTERM_TEST_START failed');
  else ksftTestResult(k, shouldWork ? 'pass' : 'fail', 'Should have worked');
}

/**
 * do_test() for TEST_TYPE_IOURING: io_uring_queue_init(), io_uring_register_buffers() (io_uring pins
 * the range FOLL_WRITE | FOLL_LONGTERM), io_uring_queue_exit().
 * @kernel io_uring/rsrc.c:io_sqe_buffers_register
 */
function iouringTest(p: Program, t: TestCase, kind: MemoryKind): void {
  const { k, setup } = p;
  if (t.shared && fsIsUnknown(kind.fs)) {
    ksftTestResult(k, 'skip', 'Unknown filesystem');
    return;
  }
  const shouldWork = !t.shared || fsSupportsWritableLongtermPinning(kind.fs);
  // The test's passing branch, as a condition on the registration's result: success, or a refusal
  // it recognises. With a liburing that leaves errno alone, any failure is a refusal or a skip
  // depending only on the stale errno, so the model has only success to contradict.
  const refusalNames = URING_REFUSALS.map((e) => retString(-e));
  const bad: BadCondition = shouldWork
    ? { op: '!=', values: ['0'] }
    : setup.liburingSetsErrno
      ? { op: '!=', values: refusalNames }
      : { op: '==', values: ['0'] };
  const o = outcome(p, t, kind, bad);
  if (o.kind === 'inconclusive' || o.kind === 'vacuous') {
    ksftTestResult(k, 'error', `io_uring_register_buffers: ${notJudged(o)}`);
    return;
  }
  if (o.kind === 'unavailable') {
    // No io_uring_setup() in this release: -ENOSYS.
    if (setup.liburingSetsErrno) p.errno = ENOSYS;
    ksftTestResult(k, 'skip', 'io_uring_queue_init() failed');
    return;
  }
  let ret: number | 'refused';
  if (o.kind === 'ret') ret = o.ret;
  else ret = shouldWork ? 0 : 'refused';
  if (ret === 0) {
    ksftTestResult(k, shouldWork ? 'pass' : 'fail', 'Should have worked');
    return;
  }
  if (setup.liburingSetsErrno) p.errno = ret === 'refused' ? null : -ret;
  const recognised = p.errno === null || URING_REFUSALS.includes(p.errno);
  if (recognised) ksftTestResult(k, shouldWork ? 'fail' : 'pass', 'Should have failed');
  else ksftTestResult(k, 'skip', 'io_uring_register_buffers() failed');
}

/**
 * do_test(): ftruncate() and fallocate() the file, mmap() it, then the test type's body. The model
 * has no hugetlb pool, so the free pages come from the setup: fallocate() takes one, and a
 * MAP_PRIVATE mmap() reserves one more for the COW of the memset().
 * @kernel mm/hugetlb.c:hugetlb_reserve_pages
 */
function doTest(p: Program, t: TestCase, kind: MemoryKind): void {
  if (kind.hugetlbKb > 0) {
    const free = p.setup.freeHugetlbPages[kind.hugetlbKb] ?? FREE_HUGETLB_DEFAULT;
    if (free < 1) {
      p.errno = ENOSPC;
      ksftTestResult(p.k, 'skip', 'need more free huge pages');
      return;
    }
    if (!t.shared && free < 2) {
      p.errno = ENOMEM;
      ksftTestResult(p.k, 'skip', 'need more free huge pages');
      return;
    }
  }
  if (t.type === 'iouring') iouringTest(p, t, kind);
  else pinTest(p, t, kind);
}

/** The test cases of this build: the io_uring ones need liburing. */
function testCases(s: GupLongtermSetup): readonly TestCase[] {
  return s.liburing ? TEST_CASES : TEST_CASES.filter((t) => t.type !== 'iouring');
}

/**
 * tools/testing/selftests/mm/gup_longterm.c (the 6.12 tree), every case checked on the model of one
 * release: the hugetlb sizes it detects (printed before the TAP header, as the real test does), the
 * same `[RUN]` lines in the same order, the same result strings, and SKIP where the real test skips.
 * Whether each pin or registration works comes from the model; what the test expected of it, and so
 * which line it prints, from the test's own logic.
 */
export function runGupLongterm(
  profile: KernelProfile,
  machine: SelftestMachine,
  setup: GupLongtermSetup,
): Ksft {
  const k = ksftPrintHeader();
  const detected = machine.hugetlbSizesKb.map((kb) => `# [INFO] detected hugetlb page size: ${kb} KiB`);
  k.lines.unshift(...detected);
  // The 7.2 tree's main() asks for two free pages of each size first (hugetlb_setup(2, ...), as its
  // cow.c does: see cowEdition) and tests only the sizes that then have them.
  const ownSetup = releaseAtLeast(machine.selftestsOf ?? profile.release, 'v7.2');
  const m = ownSetup
    ? {
        ...machine,
        hugetlbSizesKb: machine.hugetlbSizesKb.filter(
          (kb) => (setup.freeHugetlbPages[kb] ?? FREE_HUGETLB_DEFAULT) >= 2,
        ),
      }
    : machine;
  ksftPrintMsg(k, `pinlab: gup_longterm.c of the 6.12 tree, on the model of ${profile.name}`);
  const cases = testCases(setup);
  ksftSetPlan(k, cases.length * (3 + m.hugetlbSizesKb.length));
  const standIn = m.gupTestStandIn;
  const gupTest = standIn || (setup.gupTestConfigured && profile.policies['gup.testInterface'] !== 'absent');
  const p: Program = { k, profile, setup, gupTest, standIn, errno: gupTest ? 0 : ENOENT };
  for (const t of cases)
    for (const kind of memoryKinds(m, setup)) {
      ksftPrintMsg(k, `[RUN] ${t.desc} ... with ${kind.label}`);
      doTest(p, t, kind);
    }
  ksftFinished(k);
  return k;
}

/** The selftest on a machine set up as `setup` says. */
export function gupLongtermSelftest(setup: GupLongtermSetup): Selftest {
  return {
    name: 'gup-longterm',
    program: 'tools/testing/selftests/mm/gup_longterm.c (the 6.12 tree)',
    run: (profile, machine) =>
      runGupLongterm(profile, machine, {
        ...setup,
        gupTestConfigured: setup.gupTestConfigured && machine.gupTest,
        freeHugetlbPages: { ...setup.freeHugetlbPages, ...machine.hugetlbPages },
      }),
  };
}

export const GUP_LONGTERM: Selftest = gupLongtermSelftest(DEFAULT_GUP_LONGTERM_SETUP);
