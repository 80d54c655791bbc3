/**
 * The output of the kernel's selftest harness, as pinlab reproduces it: the same lines
 * tools/testing/selftests/kselftest.h prints (`TAP version 13`, `1..N`, `# ` messages, `ok N ...`,
 * `ok N # SKIP ...`, `ok N # XFAIL ...`, `not ok N ...`, `Bail out! ...` and the `# Totals:` line).
 * A Ksft is plain data; each function appends to it.
 */

export type KsftOutcome = 'pass' | 'fail' | 'xfail' | 'skip' | 'error';

/** One test result, with the `[RUN]` line that introduced it. */
export interface KsftTest {
  readonly num: number;
  readonly run: string;
  readonly outcome: KsftOutcome;
  readonly msg: string;
}

export interface Ksft {
  readonly lines: string[];
  readonly tests: KsftTest[];
  plan: number;
  /** The last `[RUN] ...` message, attached to the results that follow it. */
  run: string;
  /** The program's exit status once it finished (ksftFinished / ksftExit), null before. */
  exit: number | null;
}

export function ksftPrintHeader(): Ksft {
  return { lines: ['TAP version 13'], tests: [], plan: 0, run: '', exit: null };
}

export function ksftSetPlan(k: Ksft, plan: number): void {
  k.plan = plan;
  k.lines.push(`1..${plan}`);
}

/** ksft_print_msg(): a `# ` diagnostic line; `[RUN] ...` lines name the tests that follow. */
export function ksftPrintMsg(k: Ksft, msg: string): void {
  if (msg.startsWith('[RUN] ')) k.run = msg.slice('[RUN] '.length);
  k.lines.push(`# ${msg}`);
}

const DIRECTIVE: Readonly<Record<KsftOutcome, string>> = {
  pass: 'ok %n ',
  fail: 'not ok %n ',
  xfail: 'ok %n # XFAIL ',
  skip: 'ok %n # SKIP ',
  error: 'not ok %n # error ',
};

/** ksft_test_result_pass() / _fail() / _xfail() / _skip() / _error(). */
export function ksftTestResult(k: Ksft, outcome: KsftOutcome, msg: string): void {
  const num = k.tests.length + 1;
  k.tests.push({ num, run: k.run, outcome, msg });
  k.lines.push(DIRECTIVE[outcome].replace('%n', String(num)) + msg);
}

export function ksftCount(k: Ksft, outcome: KsftOutcome): number {
  return k.tests.filter((t) => t.outcome === outcome).length;
}

/**
 * ksft_exit_pass() or, when a test failed, ksft_exit_fail_msg("%d out of %d tests failed"): the
 * `Bail out!` line, then ksft_print_cnts(). Returns the exit status the test program would have.
 */
export function ksftFinished(k: Ksft): number {
  const fail = ksftCount(k, 'fail');
  if (fail > 0) k.lines.push(`Bail out! ${fail} out of ${k.tests.length} tests failed`);
  ksftPrintCnts(k);
  k.exit = fail > 0 ? 1 : 0;
  return k.exit;
}

/**
 * ksft_finished(), the macro: ksft_exit(plan == pass + xfail + skip), i.e. ksft_print_cnts() and exit
 * 0, or 1 when any test failed or errored (no `Bail out!` line).
 */
export function ksftExitFinished(k: Ksft): number {
  const ok = ksftCount(k, 'pass') + ksftCount(k, 'xfail') + ksftCount(k, 'skip');
  ksftPrintCnts(k);
  k.exit = k.plan === ok ? 0 : 1;
  return k.exit;
}

/** ksft_print_cnts(): the plan mismatch, then the totals. */
function ksftPrintCnts(k: Ksft): void {
  if (k.plan !== k.tests.length)
    k.lines.push(`# Planned tests != run tests (${k.plan} != ${k.tests.length})`);
  const c = (o: KsftOutcome): number => ksftCount(k, o);
  k.lines.push(
    `# Totals: pass:${c('pass')} fail:${c('fail')} xfail:${c('xfail')} xpass:0 skip:${c('skip')} error:${c('error')}`,
  );
}
