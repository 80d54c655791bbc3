import { printable } from './printable.js';
import type { Trace } from '../check/index.js';
import type { Row } from '../suite/run.js';
import { fileViolation } from './trace-file.js';
import { tally } from './outcome.js';

const MARK_BAD = ' ✗';

/** A row whose complete search reached no final state that sets its registers (Row.reason says why). */
function judgedNothing(r: Row): boolean {
  return r.verdict !== 'unavailable' && r.reason !== null;
}

function cell(r: Row | undefined): string {
  if (!r) return '-';
  const v = r.verdict === 'unavailable' ? 'n/a' : judgedNothing(r) ? 'nothing' : r.verdict;
  if (r.ok === false) return `${v}${MARK_BAD}(${r.expected ?? 'never'})`;
  return v;
}

/**
 * The verdict table: one row per scenario and condition (or invariant), one column per kernel. A cell
 * that does not match the scenario's expectation is marked ✗ with the expected verdict.
 */
export function textTable(rows: readonly Row[], kernels: readonly string[]): string {
  const keys: string[] = [];
  const byKey = new Map<string, Map<string, Row>>();
  for (const r of rows) {
    const key = `${r.scenario}  ${r.kind === 'invariant' ? `[${r.condition}]` : r.condition}`;
    if (!byKey.has(key)) {
      keys.push(key);
      byKey.set(key, new Map());
    }
    byKey.get(key)?.set(r.kernel, r);
  }
  const table = [
    ['scenario  condition', ...kernels],
    ...keys.map((k) => [k, ...kernels.map((kn) => cell(byKey.get(k)?.get(kn)))]),
  ];
  const widths = kernels.map((_, i) => Math.max(...table.map((line) => (line[i + 1] ?? '').length)));
  const first = Math.max(...table.map((line) => (line[0] ?? '').length));
  return (
    table
      .map((line) =>
        [(line[0] ?? '').padEnd(first), ...line.slice(1).map((c, i) => c.padEnd(widths[i] ?? 0))]
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function counters(
  c: { refcount: number; mapcount: number; pincount: number; data: string; freed: boolean } | null,
): string {
  if (!c) return '(new)';
  return c.freed
    ? 'freed'
    : `ref=${c.refcount} map=${c.mapcount} pin=${c.pincount} data=${JSON.stringify(c.data)}`;
}

function detailText(d: Readonly<Record<string, unknown>>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

/** One shell word: `s` in single quotes (a quote inside closed, escaped and reopened). */
function shellWord(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/**
 * A trace as numbered steps: actor, kernel function, the folios' counters before -> after, violations.
 * `file` is the scenario's file when `pinlab replay` needs it (a scenario outside the library).
 */
export function textTrace(t: Pick<Trace, 'token' | 'end' | 'steps'>, file?: string): string {
  const lines = t.steps.map((s) => {
    const calls = s.calls.length > 0 ? ` via ${s.calls.join(' > ')}` : '';
    const ret = s.ret === null ? '' : ` = ${s.ret}`;
    const head = `${String(s.step).padStart(3)}. ${s.actorName}: ${s.op} -> ${s.fn}()${calls}${ret}`;
    const folios = s.folios.map((f) => `       folio ${f.id}: ${counters(f.before)} -> ${counters(f.after)}`);
    const bad = s.violations.map((v) => `       !! ${v.invariant}: ${detailText(fileViolation(v).detail)}`);
    return [head, ...folios, ...bad].join('\n');
  });
  const args = [t.token, ...(file === undefined ? [] : [file])].map(shellWord).join(' ');
  return printable(`${lines.join('\n')}\n     end: ${t.end}; replay: pinlab replay ${args}\n`);
}

/**
 * The whole report: the table, then each unexpected verdict's shortest trace. `files` maps a scenario
 * id to the file `pinlab replay` needs for it (none for the built-in library's).
 */
export function textReport(
  rows: readonly Row[],
  kernels: readonly string[],
  files: ReadonlyMap<string, string> = new Map(),
): string {
  let out = textTable(rows, kernels);
  for (const r of rows.filter((x) => x.ok === false)) {
    const is = judgedNothing(r) ? 'judges nothing' : `is ${r.verdict}`;
    out += `\n${r.scenario} on ${r.kernel}: ${r.condition} ${is}, expected ${r.expected ?? 'never'}`;
    out += r.reason
      ? ` (${r.reason})\n`
      : r.bound
        ? ` (bound reached: ${r.bound}, ${r.states} states)\n`
        : '\n';
    if (r.trace) out += textTrace({ ...r.trace, token: r.replay ?? r.trace.token }, files.get(r.scenario));
  }
  const t = tally(rows);
  const stopped = new Set(rows.filter((r) => r.bound !== null).map((r) => `${r.scenario}\t${r.kernel}`));
  const partial = stopped.size > 0 ? ` (partial: a bound stopped ${stopped.size} of the searches)` : '';
  out += `\n${t.pass} passed, ${t.fail} failed, ${t.skip} skipped${partial}\n`;
  return printable(out);
}
