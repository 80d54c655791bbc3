import type { Row } from '../suite/run.js';

/** `--format ktap`: one test line per row, as the kernel's selftests print. */
export function ktapReport(rows: readonly Row[]): string {
  const lines = ['KTAP version 1', `1..${rows.length}`];
  rows.forEach((r, i) => {
    const name = `${r.scenario} ${r.kernel} ${r.condition}: ${r.verdict}`;
    const skip = r.verdict === 'unavailable' ? ` # SKIP ${r.reason ?? ''}` : '';
    lines.push(`${r.ok === false ? 'not ok' : 'ok'} ${i + 1} ${name}${skip}`);
  });
  const fail = rows.filter((r) => r.ok === false).length;
  const skip = rows.filter((r) => r.verdict === 'unavailable').length;
  lines.push(`# Totals: pass:${rows.length - fail - skip} fail:${fail} xfail:0 xpass:0 skip:${skip} error:0`);
  return `${lines.join('\n')}\n`;
}
