import { realFailed, realSummary, realTable } from '../cli/real-rows.js';
import type { KernelResult, LabRow } from './kernel-run.js';
import { jsonDocument } from '../report/document.js';

/**
 * The lab's reports: text (per kernel its packages, the scenario table and the selftest agreement),
 * JSON (the record docs/conformance keeps) and KTAP (a test per kernel, a subtest per row).
 */
export function labFailed(results: readonly KernelResult[]): boolean {
  return results.some((r) => realFailed(r.rows) || r.selftests.some((t) => t.counts.disagree > 0));
}

function shownRows(rows: readonly LabRow[]): LabRow[] {
  return rows.map((r) => ({ ...r, scenario: r.disk === '-' ? r.scenario : `${r.scenario} @${r.disk}` }));
}

function header(r: KernelResult): string {
  const pk = r.packages.map((p) => `${p.name} ${p.version}`).join(', ');
  return `== ${r.kernel} (profile ${r.profile}): ${r.status === 'ran' ? `ran in ${r.seconds} s under ${r.accel}, uname ${r.uname ?? '-'}` : `skipped: ${r.why}`}\n${pk === '' ? '' : `packages: ${pk}\n`}kernel-side runner: ${r.kmod}; ${r.runs} runs per program and disk\n`;
}

export function textReport(results: readonly KernelResult[]): string {
  return results
    .map((r) => {
      if (r.status === 'skipped') return header(r);
      const notes = r.notes.length > 0 ? `notes: ${r.notes.join('; ')}\n` : '';
      const st = r.selftests.map((t) => {
        const bad = t.cases.filter((c) => c.outcome === 'disagree' || c.outcome === 'unmatched');
        return (
          `${t.program} (${t.tree}): ${t.counts.agree} agree, ${t.counts.disagree} disagree, ` +
          `${t.counts.skipped} skipped, ${t.counts.unmatched} unmatched\n` +
          bad.map((c) => `  ${c.outcome} ${c.num} ${c.run}: real ${c.real}; model ${c.model}\n`).join('')
        );
      });
      return `${header(r)}${notes}\n${realTable(shownRows(r.rows), r.profile)}\n${realSummary(r.rows)}${st.length > 0 ? `\n${st.join('')}` : ''}`;
    })
    .join('\n');
}

export function jsonReport(results: readonly KernelResult[]): string {
  return jsonDocument('lab', { lab: results });
}

export function ktapReport(results: readonly KernelResult[]): string {
  const out = ['KTAP version 1', `1..${results.length}`];
  results.forEach((r, i) => {
    if (r.status === 'skipped') {
      out.push(`ok ${i + 1} ${r.kernel} # SKIP ${r.why.replaceAll('\n', ' ')}`);
      return;
    }
    const rows = shownRows(r.rows);
    const sub = rows.length + r.selftests.length;
    out.push(`    KTAP version 1`, `    # Subtest: ${r.kernel}`, `    1..${sub}`);
    rows.forEach((row, j) => {
      const name = `${row.scenario} ${row.condition}`;
      const skip = row.outcome === 'skip' || row.outcome === 'refused' || row.outcome === 'unchecked';
      const bad = row.outcome === 'contradiction' || row.outcome === 'error';
      out.push(`    ${bad ? 'not ok' : 'ok'} ${j + 1} ${name}${skip ? ` # SKIP ${row.outcome}` : ''}`);
      if (row.why !== '') out.push(`    # ${row.why}`);
    });
    r.selftests.forEach((t, j) =>
      out.push(`    ${t.counts.disagree > 0 ? 'not ok' : 'ok'} ${rows.length + j + 1} selftest ${t.program}`),
    );
    out.push(`${labFailed([r]) ? 'not ok' : 'ok'} ${i + 1} ${r.kernel}`);
  });
  return `${out.join('\n')}\n`;
}
