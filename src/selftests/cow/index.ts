import { instantiate } from '../../model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../model/engine/step.js';
import type { KernelProfile } from '../../model/profile/profiles.js';
import { mmOf } from '../../model/core/world.js';
import type { ParsedScenario } from '../../scenario/index.js';
import {
  ksftExitFinished,
  ksftFinished,
  ksftPrintHeader,
  ksftPrintMsg,
  ksftSetPlan,
  ksftTestResult,
  type Ksft,
  type KsftOutcome,
} from '../kselftest.js';
import { cowEdition, type CowEdition } from './edition.js';
import { perror, plain, unavailable, type Skip } from './skip.js';
import { checkCase, parseCase } from '../scenario.js';
import type { Selftest, SelftestMachine } from '../selftest.js';
import {
  ANON_TEST_CASES,
  ANON_THP_TEST_CASES,
  NON_ANON_TEST_CASES,
  type TestBody,
  type TestResult,
} from './cases.js';
import { anonKinds, collapseKind, nonAnonKinds, type AnonKind, type NonAnonKind } from './kinds.js';

/** What a generated scenario is made of: its memory, its setup and the test body. */
interface CaseText {
  readonly title: string;
  readonly decls: readonly string[];
  readonly mappings: readonly string[];
  readonly setup: readonly string[];
  /** Share the memory with a child X that quits before the test (cow.c's "partially shared"). */
  readonly previouslyShared: boolean;
  readonly body: TestBody;
}

/** The `.pin` text of one test case on one memory kind. */
export function caseScenario(c: CaseText): string {
  const lines = [
    'scenario cow',
    `intent: cow.c "${c.title}"`,
    'source: tools/testing/selftests/mm/cow.c (the 6.12 tree)',
    ...c.decls,
    ...c.body.decls,
    'process P',
    ...c.mappings.map((m) => `  map ${m}`),
  ];
  if (c.body.child !== null) lines.push('process C forked');
  if (c.previouslyShared) lines.push('process X forked');
  lines.push('setup', ...c.setup.map((s) => `  T0: ${s}`), 'thread T0 in P');
  if (c.previouslyShared) lines.push('  fork X', '  wait X');
  lines.push(...c.body.parent.map((s) => `  ${s}`));
  if (c.body.child !== null && c.body.child.length > 0)
    lines.push('thread T1 in C', ...c.body.child.map((s) => `  ${s}`));
  if (c.previouslyShared) lines.push('thread TX in X', '  exit');
  lines.push(c.body.bad);
  return `${lines.join('\n')}\n`;
}

/** pagemap_is_swapped(): did MADV_PAGEOUT in the setup leave a swap entry? */
function setupSwappedOut(parsed: ParsedScenario, profile: KernelProfile): boolean {
  const w = instantiate(parsed.scenario.program, profile.policies);
  const mm = w.processes[0];
  if (mm === null || mm === undefined) return false;
  return mmOf(w, mm).vmas.find((v) => v.name === 'mem')?.pte.kind === 'swap';
}

/**
 * do_test_anon_thp_collapse()'s `ret = madvise(mem, size, MADV_COLLAPSE); if (ret) skip`: run the
 * parent T0 alone up to its collapse and return why it failed, or null. The child only reads `mem`
 * and runs after the collapse in cow.c, so nothing else decides the result.
 */
function collapseFailure(parsed: ParsedScenario, profile: KernelProfile): Skip | null {
  const { program } = parsed.scenario;
  const collapses = (program.actors[0]?.ops ?? []).some((o) => o.op === 'madvise' && o.advice === 'collapse');
  if (!collapses || profile.policies['madvise.collapse'] === 'absent') return null;
  let w = instantiate(program, profile.policies);
  for (;;) {
    const st = w.actors[0];
    const op = st === undefined || st.done ? undefined : program.actors[0]?.ops[st.pc];
    const t = enabledTransitions(program, profile.policies, w).find((x) => x.actor === 0);
    if (op === undefined || t === undefined) return null;
    const r = applyTransition(program, profile.policies, w, t);
    w = r.world;
    const ret = r.label.ret ?? 0;
    if (op.op === 'madvise' && op.advice === 'collapse')
      return ret < 0 ? perror('MADV_COLLAPSE failed', -ret) : null;
  }
}

/**
 * One result as the release's cow.c prints it (cowEdition): up to v6.15 the message is the result
 * line's own; from v6.16 a failure's or skip's reason is a `# ` message and the result line carries
 * the test's name (log_test_result()).
 */
function report(
  k: Ksft,
  outcome: KsftOutcome,
  msg: string,
  names: boolean,
  note: string | null = null,
): void {
  if (!names) {
    ksftTestResult(k, outcome, msg);
    return;
  }
  if (note !== null) ksftPrintMsg(k, note);
  ksftTestResult(k, outcome, outcome === 'error' ? `${k.run}: ${msg}` : k.run);
}

function reportSkip(k: Ksft, skip: Skip, names: boolean): void {
  if (skip.ownLine === true) ksftTestResult(k, 'skip', skip.reason);
  else report(k, 'skip', skip.reason, names, skip.perror ?? skip.reason);
}

/**
 * do_test_ro_pin(): without /sys/kernel/debug/gup_test the R/O pin cases skip; a gup_test without the
 * PIN_LONGTERM_TEST ioctls (before v6.2) fails them with EINVAL, which cow.c reports as a skip.
 */
function gupTestSkip(result: TestResult, profile: KernelProfile, m: SelftestMachine): Skip | null {
  if (result.gupTest !== true) return null;
  // The lab's stand-in answers the three ioctls on every release.
  if (m.gupTestStandIn) return null;
  const iface = profile.policies['gup.testInterface'];
  if (!m.gupTest || iface === 'absent') return plain('gup_test not available');
  if (iface === 'pin-longterm-test') return null;
  return {
    reason: 'PIN_LONGTERM_TEST_START failed',
    perror: 'PIN_LONGTERM_TEST_START failed: Invalid argument (22)',
  };
}

/** Run one case and print its result as the release's cow.c would. */
export function runCase(
  k: Ksft,
  parsed: ParsedScenario,
  result: TestResult,
  hugetlb: boolean,
  profile: KernelProfile,
  m: SelftestMachine,
): void {
  const ed = cowEdition(m.selftestsOf ?? profile.release);
  const skip = gupTestSkip(result, profile, m);
  if (skip !== null) {
    reportSkip(k, skip, ed.names);
    return;
  }
  const v = checkCase(parsed, profile);
  if (v.kind === 'unavailable') {
    reportSkip(k, unavailable(result), ed.names);
    return;
  }
  if (v.kind === 'vacuous') {
    report(k, 'error', ed.names ? v.reason : `${result.pass}: ${v.reason}`, ed.names);
    return;
  }
  switch (v.row.verdict) {
    case 'never':
      report(k, 'pass', result.pass, ed.names);
      return;
    case 'sometimes':
    case 'always':
      report(
        k,
        hugetlb && result.xfailOnHugetlb && ed.xfail ? 'xfail' : 'fail',
        result.fail,
        ed.names,
        result.failNote,
      );
      return;
    case 'unavailable':
      reportSkip(k, unavailable(result), ed.names);
      return;
    case 'inconclusive': {
      const why = `inconclusive, bound reached (${v.row.bound ?? ''})`;
      report(k, 'error', ed.names ? why : `${result.pass}: ${why}`, ed.names);
      return;
    }
  }
}

export function anonText(desc: string, kind: AnonKind, body: TestBody): string {
  return caseScenario({
    title: `${desc} ... with ${kind.label}`,
    decls: [],
    mappings: [`mem anon private${kind.page === '' ? '' : ` ${kind.page}`}`],
    setup: ['write mem "A"', ...kind.setup],
    previouslyShared: kind.previouslyShared,
    body,
  });
}

/** The profile a case runs on: the release's, with the case's own policies (TestBody.set). */
function caseProfile(p: KernelProfile, body: TestBody): KernelProfile {
  return body.set === undefined ? p : { ...p, policies: { ...p.policies, ...body.set } };
}

function runAnon(
  k: Ksft,
  desc: string,
  result: TestResult,
  kind: AnonKind,
  body: TestBody,
  release: KernelProfile,
  m: SelftestMachine,
): void {
  const p = caseProfile(release, body);
  const names = cowEdition(m.selftestsOf ?? release.release).names;
  const skip = kind.skip(m, p.policies);
  if (skip !== null) {
    reportSkip(k, skip, names);
    return;
  }
  const parsed = parseCase(anonText(desc, kind, body), 'cow.pin');
  if (kind.swapout && !setupSwappedOut(parsed, p)) {
    reportSkip(k, plain('MADV_PAGEOUT did not work, is swap enabled?'), names);
    return;
  }
  const failed = collapseFailure(parsed, p);
  if (failed !== null) {
    reportSkip(k, failed, names);
    return;
  }
  runCase(k, parsed, result, kind.hugetlb, p, m);
}

export function nonAnonText(desc: string, kind: NonAnonKind, body: TestBody): string {
  return caseScenario({
    title: `${desc} ... with ${kind.label}`,
    decls: kind.decls,
    mappings: [`mem ${kind.mem}`, `smem ${kind.smem}`],
    // Read both mappings to populate them (the zero page, or the page cache page).
    setup: ['read mem -> populated', 'read smem -> spopulated'],
    previouslyShared: false,
    body,
  });
}

/**
 * The machine as the edition's main() leaves it: from the 7.2 tree, hugetlb_setup(2, ...) asks for two
 * free pages of each size (nr_hugepages raised by what is missing) and keeps only the sizes that have
 * them; older editions test every size the kernel offers, and skip where pages are missing.
 */
function testedMachine(m: SelftestMachine, ed: CowEdition): SelftestMachine {
  if (!ed.hugetlbSetup) return m;
  return { ...m, hugetlbSizesKb: m.hugetlbSizesKb.filter((kb) => (m.hugetlbPages[kb] ?? 2) >= 2) };
}

/** ksft_set_plan() of cow.c's main(). */
function plan(m: SelftestMachine): number {
  const pmd = m.pmdSizeKb > 0;
  const anon = 2 + 6 * m.thpSizesKb.length + (pmd ? 2 : 0) + m.hugetlbSizesKb.length;
  const nonAnon = 3 + (pmd ? 1 : 0) + m.hugetlbSizesKb.length;
  return (
    ANON_TEST_CASES.length * anon +
    ANON_THP_TEST_CASES.length * (pmd ? 1 : 0) +
    NON_ANON_TEST_CASES.length * nonAnon
  );
}

/** main()'s detection lines: every hugetlb size the kernel offers, tested or not. */
function printDetected(k: Ksft, m: SelftestMachine, ed: CowEdition): void {
  if (m.pmdSizeKb > 0) {
    ksftPrintMsg(k, `[INFO] detected PMD size: ${m.pmdSizeKb} KiB`);
    for (const kb of m.thpSizesKb) ksftPrintMsg(k, `[INFO] detected THP size: ${kb} KiB`);
  }
  for (const kb of m.hugetlbSizesKb) ksftPrintMsg(k, `[INFO] detected hugetlb page size: ${kb} KiB`);
  if (m.hugeZeropage && !ed.hugetlbSetup) ksftPrintMsg(k, '[INFO] huge zeropage is enabled');
}

/**
 * tools/testing/selftests/mm/cow.c, every case checked on the model of one release: the same
 * `[RUN]` lines in the same order, the same result strings, XFAIL and SKIP where cow.c prints them.
 * Returns the KTAP document and the exit status cow.c would have.
 */
export function runCow(profile: KernelProfile, machine: SelftestMachine): Ksft {
  const ed = cowEdition(machine.selftestsOf ?? profile.release);
  const k = ksftPrintHeader();
  ksftPrintMsg(k, `pinlab: cow.c as of ${ed.since} (the 6.12 tree's tests), on the model of ${profile.name}`);
  printDetected(k, machine, ed);
  const m = testedMachine(machine, ed);
  ksftSetPlan(k, plan(m));
  ksftPrintMsg(k, '[INFO] Anonymous memory tests in private mappings');
  for (const t of ANON_TEST_CASES)
    for (const kind of anonKinds(m)) {
      ksftPrintMsg(k, `[RUN] ${t.desc} ... with ${kind.label}`);
      runAnon(k, t.desc, t.result, kind, t.body(), profile, m);
    }
  if (m.pmdSizeKb > 0) {
    ksftPrintMsg(k, '[INFO] Anonymous THP tests');
    for (const t of ANON_THP_TEST_CASES) {
      ksftPrintMsg(k, `[RUN] ${t.desc}`);
      runAnon(k, t.desc, t.result, collapseKind(m), t.body(), profile, m);
    }
  }
  ksftPrintMsg(k, '[RUN] Non-anonymous memory tests in private mappings');
  for (const t of NON_ANON_TEST_CASES)
    for (const kind of nonAnonKinds(m, ed)) {
      ksftPrintMsg(k, `[RUN] ${t.desc} ... with ${kind.label}`);
      const skip = kind.skip(m);
      if (skip !== null) reportSkip(k, skip, ed.names);
      else {
        const parsed = parseCase(nonAnonText(t.desc, kind, t.body()), 'cow.pin');
        runCase(k, parsed, t.result, false, profile, m);
      }
    }
  if (ed.names) ksftExitFinished(k);
  else ksftFinished(k);
  return k;
}

export const COW: Selftest = {
  name: 'cow',
  program: "tools/testing/selftests/mm/cow.c (the 6.12 tree's tests, each release's result strings)",
  run: runCow,
};
