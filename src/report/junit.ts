import type { Row } from '../suite/run.js';

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `--format junit`: one testsuite per scenario, one testcase per kernel and condition. */
export function junitReport(rows: readonly Row[]): string {
  const suites = [...new Set(rows.map((r) => r.scenario))];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="pinlab">'];
  for (const s of suites) {
    const mine = rows.filter((r) => r.scenario === s);
    const failures = mine.filter((r) => r.ok === false).length;
    out.push(`  <testsuite name="${escapeXml(s)}" tests="${mine.length}" failures="${failures}">`);
    for (const r of mine) {
      const name = escapeXml(`${r.kernel} ${r.condition}`);
      const time = (r.ms / 1000).toFixed(3);
      if (r.ok === false)
        out.push(
          `    <testcase name="${name}" time="${time}"><failure message="${escapeXml(`${r.verdict}, expected ${r.expected ?? 'never'}`)}"/></testcase>`,
        );
      else if (r.verdict === 'unavailable')
        out.push(
          `    <testcase name="${name}" time="${time}"><skipped message="${escapeXml(r.reason ?? '')}"/></testcase>`,
        );
      else out.push(`    <testcase name="${name}" time="${time}"/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
