import type { PlannedTest, Row } from '../suite/run.js';
import { groupBy, outcome, summary, tally, testName, type PartialRun } from './outcome.js';
import { textTrace } from './text.js';
import { failedOpLines } from './failed-ops.js';

/** XML 1.0 allows tab, newline and carriage return only among the control characters. */
function xmlChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r' ? '\uFFFD' : c;
}

const escapeXml = (s: string): string =>
  Array.from(s, xmlChar)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** What every testsuite's lines need besides its rows. */
interface SuiteContext {
  readonly files: ReadonlyMap<string, string>;
  readonly time: (ms: number) => string;
  readonly partial: PartialRun | undefined;
}

/**
 * `--format junit`: one testsuite per scenario, one testcase per release and condition (or invariant).
 * The classname is the scenario and the name the release and condition, so every case is unique as
 * CI systems key them (GitLab merges cases with the same classname and name); a failure carries
 * what was found and its shortest trace. A suite's system-err warns of each operation that returned
 * an error in the model, per release. After a Ctrl-C (`partial`) each testsuite has the property
 * `interrupted` (how much of the run ran), and the tests of the searches left out are skipped with
 * the message `interrupted`.
 */
export function junitReport(
  rows: readonly Row[],
  files: ReadonlyMap<string, string> = new Map(),
  timings = true,
  partial?: PartialRun,
): string {
  const notRun = partial?.notRun ?? [];
  const all = tally(rows);
  // JUnit's `time` is optional: without timings the file depends on nothing but the run.
  const time = (ms: number): string => (timings ? ` time="${(ms / 1000).toFixed(3)}"` : '');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pinlab" tests="${rows.length + notRun.length}" failures="${all.fail}" skipped="${all.skip + notRun.length}">`,
  ];
  const scenarios = new Set([...rows, ...notRun].map((x) => x.scenario));
  for (const s of scenarios)
    out.push(
      ...suiteLines(
        s,
        rows.filter((r) => r.scenario === s),
        notRun.filter((t) => t.scenario === s),
        { files, time, partial },
      ),
    );
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** One scenario's testsuite: its properties after a Ctrl-C, its cases, those left out, its warnings. */
function suiteLines(
  s: string,
  mine: readonly Row[],
  notRun: readonly PlannedTest[],
  c: SuiteContext,
): string[] {
  const t = tally(mine);
  const tests = mine.length + notRun.length;
  const out = [
    `  <testsuite name="${escapeXml(s)}" tests="${tests}" failures="${t.fail}" skipped="${t.skip + notRun.length}">`,
  ];
  if (c.partial !== undefined)
    out.push(
      `    <properties><property name="interrupted" value="${escapeXml(c.partial.note)}"/></properties>`,
    );
  for (const r of mine) out.push(`    ${caseHead(s, r)}${c.time(r.ms)}${caseBody(r, c.files, escapeXml)}`);
  for (const r of notRun) out.push(`    ${caseHead(s, r)}><skipped message="interrupted"/></testcase>`);
  // An operation that failed in the model, per release: a condition built on its result may mislead.
  const warnings = [...groupBy(mine, (r) => r.kernel)].flatMap(([k, rs]) =>
    failedOpLines(rs).map((w) => `warning: ${s} on ${k}: ${w}`),
  );
  if (warnings.length > 0) out.push(`    <system-err>${escapeXml(warnings.join('\n'))}</system-err>`);
  out.push('  </testsuite>');
  return out;
}

/** A testcase's opening, without its end: classname the scenario, name the release and test. */
function caseHead(s: string, t: PlannedTest): string {
  return `<testcase classname="${escapeXml(s)}" name="${escapeXml(`${t.kernel} ${testName(t)}`)}"`;
}

function caseBody(r: Row, files: ReadonlyMap<string, string>, esc: (s: string) => string): string {
  switch (outcome(r)) {
    case 'pass':
      return '/>';
    case 'skip':
      return `><skipped message="${esc(r.reason ?? '')}"/></testcase>`;
    case 'fail': {
      const trace = r.trace
        ? textTrace({ ...r.trace, token: r.replay ?? r.trace.token }, files.get(r.scenario))
        : '';
      return `><failure message="${esc(summary(r))}">${esc(trace)}</failure></testcase>`;
    }
  }
}
