import type { Row } from '../suite/run.js';
import { groupBy, outcome, summary, tally, testName } from './outcome.js';
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

/**
 * `--format junit`: one testsuite per scenario, one testcase per release and condition (or invariant).
 * The classname is the scenario and the name the release and condition, so every case is unique as
 * CI systems key them (GitLab merges cases with the same classname and name); a failure carries
 * what was found and its shortest trace. A suite's system-err warns of each operation that returned
 * an error in the model, per release.
 */
export function junitReport(
  rows: readonly Row[],
  files: ReadonlyMap<string, string> = new Map(),
  timings = true,
): string {
  const all = tally(rows);
  // JUnit's `time` is optional: without timings the file depends on nothing but the run.
  const time = (ms: number): string => (timings ? ` time="${(ms / 1000).toFixed(3)}"` : '');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pinlab" tests="${rows.length}" failures="${all.fail}" skipped="${all.skip}">`,
  ];
  for (const [s, mine] of groupBy(rows, (r) => r.scenario)) {
    const t = tally(mine);
    out.push(
      `  <testsuite name="${escapeXml(s)}" tests="${mine.length}" failures="${t.fail}" skipped="${t.skip}">`,
    );
    for (const r of mine) {
      const head = `<testcase classname="${escapeXml(s)}" name="${escapeXml(`${r.kernel} ${testName(r)}`)}"${time(r.ms)}`;
      out.push(`    ${head}${caseBody(r, files, escapeXml)}`);
    }
    // An operation that failed in the model, per release: a condition built on its result may mislead.
    const warnings = [...groupBy(mine, (r) => r.kernel)].flatMap(([k, rs]) =>
      failedOpLines(rs).map((w) => `warning: ${s} on ${k}: ${w}`),
    );
    if (warnings.length > 0) out.push(`    <system-err>${escapeXml(warnings.join('\n'))}</system-err>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
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
