import { printable } from './printable.js';
import type { PlannedTest, Row } from '../suite/run.js';
import { groupBy, outcome, summary, tally, testName, type Outcome, type PartialRun } from './outcome.js';
import { textTrace } from './text.js';
import { failedOpLines } from './failed-ops.js';

/**
 * `--format ktap`: KTAP version 1 as the kernel's KUnit prints it, nested: one test per scenario, a
 * subtest per release, a subtest per condition or invariant under it, each with `#` diagnostics
 * (the verdict, the expectation, the search's size; a failure's trace; a release's `# warning:` for
 * each operation that returned an error in the model). A parent fails when a child
 * does, and is a skip when all its children are.
 */

const INDENT = '    ';

interface Node {
  readonly name: string;
  readonly lines: readonly string[];
  readonly outcome: Outcome;
  readonly skipReason: string;
}

function result(i: number, n: Node): string {
  const skip = n.outcome === 'skip' ? ` # SKIP ${n.skipReason}` : '';
  return `${n.outcome === 'fail' ? 'not ok' : 'ok'} ${i} ${n.name}${skip}`;
}

/**
 * A test with subtests: its header, plan, children and `#` diagnostics, indented, then its own result
 * by its parent.
 */
function parent(name: string, children: readonly Node[], diagnostics: readonly string[] = []): Node {
  const body = ['KTAP version 1', `# Subtest: ${name}`, `1..${children.length}`];
  children.forEach((c, i) => body.push(...c.lines, result(i + 1, c)));
  // After the children, so a parser gives them to this test's log, not to its first child's.
  body.push(...diagnostics);
  const outcomes = children.map((c) => c.outcome);
  const all = outcomes.every((o) => o === 'skip');
  return {
    name,
    lines: body.map((l) => INDENT + l),
    outcome: outcomes.includes('fail') ? 'fail' : all ? 'skip' : 'pass',
    skipReason: all ? (children[0]?.skipReason ?? '') : '',
  };
}

function leaf(r: Row, files: ReadonlyMap<string, string>): Node {
  const lines = [`# ${testName(r)}: ${summary(r)}`];
  if (outcome(r) === 'fail' && r.trace) {
    const trace = textTrace({ ...r.trace, token: r.replay ?? r.trace.token }, files.get(r.scenario));
    lines.push(
      ...trace
        .trimEnd()
        .split('\n')
        .map((l) => `# ${l}`),
    );
  }
  return { name: testName(r), lines, outcome: outcome(r), skipReason: r.reason ?? '' };
}

/** A test of a search a Ctrl-C left out: a skip, as JUnit reports it. */
function notRunLeaf(t: PlannedTest): Node {
  return { name: testName(t), lines: [], outcome: 'skip', skipReason: 'interrupted' };
}

const isRow = (x: Row | PlannedTest): x is Row => 'verdict' in x;

/**
 * The run as KTAP. `partial`: a Ctrl-C left searches out: their tests are skipped (`# SKIP
 * interrupted`) and a `#` line before the totals says how much ran, so a reader of the file knows.
 */
export function ktapReport(
  rows: readonly Row[],
  files: ReadonlyMap<string, string> = new Map(),
  partial?: PartialRun,
): string {
  const notRun = partial?.notRun ?? [];
  const scenarios = [...groupBy([...rows, ...notRun], (r) => r.scenario)].map(([s, mine]) =>
    parent(
      s,
      [...groupBy(mine, (r) => r.kernel)].map(([k, leaves]) => {
        const ran = leaves.filter(isRow);
        return parent(
          k,
          leaves.map((r) => (isRow(r) ? leaf(r, files) : notRunLeaf(r))),
          // An operation that failed in the model: a condition built on its result may mislead.
          failedOpLines(ran).map((w) => `# warning: ${w}`),
        );
      }),
    ),
  );
  const lines = ['KTAP version 1', `1..${scenarios.length}`];
  scenarios.forEach((s, i) => lines.push(...s.lines, result(i + 1, s)));
  const t = tally(rows);
  if (partial !== undefined) lines.push(`# interrupted: ${partial.note}`);
  lines.push(
    `# Totals: pass:${t.pass} fail:${t.fail} xfail:0 xpass:0 skip:${t.skip + notRun.length} error:0`,
  );
  return printable(`${lines.join('\n')}\n`);
}
