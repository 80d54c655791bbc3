import { printable } from './printable.js';
import type { Trace } from '../check/index.js';
import type { Row } from '../suite/run.js';
import { deadlockText, failedOpsText } from './failed-ops.js';
import { finalStatesText } from './final-states.js';
import { fileViolation } from './trace-file.js';
import { tally, type PartialRun } from './outcome.js';
import { releasesOf, runsOf, runsText } from './runs.js';
import { statusOf } from './status.js';
import { chunks, fit, TEXT_WIDTH } from './fit.js';

const MARK_BAD = ' ✗';

/** A row whose complete search reached no final state that sets its registers (Row.reason says why). */
function judgedNothing(r: Row): boolean {
  return r.verdict !== 'unavailable' && r.reason !== null;
}

/** A condition's witnesses as herd7 counts them: `N/M`, N of the M distinct final states satisfy it. */
function witnesses(r: Row): string {
  const w = r.witnesses;
  return w === null ? '' : ` ${w.satisfy}/${w.satisfy + w.violate}`;
}

/** The releases that cannot run `scenario` (their rows are `unavailable`). */
function unavailableOn(rows: readonly Row[], scenario: string): Set<string> {
  return new Set(
    rows.filter((r) => r.scenario === scenario && r.verdict === 'unavailable').map((r) => r.kernel),
  );
}

function cell(r: Row | undefined): string {
  if (!r) return '-';
  const v =
    r.verdict === 'unavailable' ? 'n/a' : judgedNothing(r) ? 'nothing' : `${r.verdict}${witnesses(r)}`;
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
    ...keys.map((k) => {
      const na = unavailableOn(rows, k.slice(0, k.indexOf('  ')));
      return [
        k,
        ...kernels
          .map((kn) => cell(byKey.get(k)?.get(kn)))
          .map((c, i) => (c === '-' && na.has(kernels[i] ?? '') ? 'n/a' : c)),
      ];
    }),
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
  // Each line within WIDTH columns: a long one goes on, indented, under its step.
  const lines = t.steps.map((s) => {
    const calls = s.calls.length > 0 ? ` via ${s.calls.join(' > ')}` : '';
    const ret = s.ret === null ? '' : ` = ${s.ret}`;
    const head = fit(
      chunks(`${s.actorName}: ${s.op} -> ${s.fn}()${calls}${ret}`),
      `${String(s.step).padStart(3)}. `,
      INDENT,
    );
    const folios = s.folios.map((f) => `folio ${f.id}: ${counters(f.before)} -> ${counters(f.after)}`);
    const bad = s.violations.map((v) => `!! ${v.invariant}: ${detailText(fileViolation(v).detail)}`);
    const rest = [...folios, ...bad].flatMap((l) => fit(chunks(l), INDENT, `${INDENT}  `));
    return [...head, ...rest].join('\n');
  });
  // The replay command stays whole on its line, to be copied.
  const args = [t.token, ...(file === undefined ? [] : [file])].map(shellWord).join(' ');
  const end = fit([`end: ${t.end};`, `replay: pinlab replay ${args}`], '     ', INDENT);
  return printable(`${lines.join('\n')}\n${end.join('\n')}\n`);
}

/** What the text report shows besides the verdicts. */
export interface TextOptions {
  /** The full grid, one column per release (`--wide`), instead of runs of equal verdicts. */
  readonly wide?: boolean;
  /** Wall times in the per-scenario lines (off: `--no-timings`). */
  readonly timings?: boolean;
  /** The distinct final states of each search (`--states`), after the legend. */
  readonly states?: boolean;
  /** A Ctrl-C left searches out: their tests count as skipped, as in KTAP and JUnit. */
  readonly partial?: PartialRun | undefined;
}

/** The report's width: every line of the default layout fits it (a long name aside). */
export const WIDTH = TEXT_WIDTH;

/** Where a trace step's folio lines, and a long line's continuation, start. */
const INDENT = ' '.repeat(7);

const STATUS_WIDTH = 8;

export const LEGEND = `legend: never / sometimes / always: no, some, every interleaving ends with the condition true
  (an invariant: is violated); N/M: N of the M distinct final states satisfy the condition (herd7's
  Positive; M-N its Negative); inconclusive: a bound stopped the search; nothing: no interleaving
  completed; n/a: the release cannot run the scenario (why: below); -: no verdict (in the grid: an
  invariant never violated there; or a search left out); ✗(V): V was expected.
status: fixed: bad on an older release, safe on the newest; open: bad on the newest release;
  mismatch: a verdict differs from the expectation. Bad: sometimes or always for an exists condition
  or an invariant (never is safe); sometimes or never for a forall condition (always is safe).
`;

/** Rows by scenario, then by (condition or invariant) name, each with its cells by release. */
function grouped(
  rows: readonly Row[],
  kernels: readonly string[],
): Map<string, Map<string, (Row | undefined)[]>> {
  const out = new Map<string, Map<string, (Row | undefined)[]>>();
  for (const r of rows) {
    const names = out.get(r.scenario) ?? new Map<string, (Row | undefined)[]>();
    out.set(r.scenario, names);
    const name = r.kind === 'invariant' ? `[${r.condition}]` : r.condition;
    const cells = names.get(name) ?? kernels.map(() => undefined);
    names.set(name, cells);
    const i = kernels.indexOf(r.kernel);
    if (i >= 0) cells[i] = r;
  }
  return out;
}

/** `parts` joined with `, ` into lines of at most `width` (a part longer than that alone on its line). */
function wrap(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 2 + p.length + 1 <= width)
      lines[lines.length - 1] = `${last}, ${p}`;
    else {
      if (last !== undefined) lines[lines.length - 1] = `${last},`;
      lines.push(p);
    }
  }
  return lines;
}

/** One scenario's figures: the states its searches stored, and their time. */
function figures(rows: readonly Row[], timings: boolean): string {
  const pairs = new Map(rows.filter((r) => r.verdict !== 'unavailable').map((r) => [r.kernel, r] as const));
  const states = [...pairs.values()].reduce((n, r) => n + r.states, 0);
  const ms = [...pairs.values()].reduce((n, r) => n + r.ms, 0);
  const time = timings ? `, ${(ms / 1000).toFixed(1)} s` : '';
  return `${states.toLocaleString('en-US')} states${time}`;
}

/** The default table: per scenario a line of figures, per condition its runs of verdicts and status. */
export function textRuns(rows: readonly Row[], kernels: readonly string[], timings = true): string {
  const groups = grouped(rows, kernels);
  const allNames = [...groups.values()].flatMap((g) => [...g.keys()]);
  const nameWidth = Math.min(32, Math.max(9, ...allNames.map((n) => n.length)));
  const runsWidth = WIDTH - 2 - nameWidth - 2 - 2 - STATUS_WIDTH;
  const out: string[] = [];
  for (const [scenario, names] of groups) {
    out.push(
      `${scenario}  (${figures(
        rows.filter((r) => r.scenario === scenario),
        timings,
      )})`,
    );
    // The releases whose search ran: every search gives each condition a row (a scenario has at
    // least one), so a release with none was left out (Ctrl-C stopped the run before it).
    const ran = new Set(rows.filter((r) => r.scenario === scenario).map((r) => r.kernel));
    for (const [name, cells] of names) {
      // No invariant row on a release that ran: it never fired there (suite/run.ts reports only what
      // fires), or the release cannot run the scenario (n/a, its reason below the table).
      const invariant = cells.some((c) => c?.kind === 'invariant');
      const na = unavailableOn(rows, scenario);
      const values = cells.map((c, i) => {
        const k = kernels[i] ?? '';
        if (c !== undefined || !invariant || !ran.has(k)) return cell(c);
        return na.has(k) ? 'n/a' : 'never';
      });
      const lines = wrap(runsText(values, kernels), runsWidth);
      // A status from the releases that ran only: a release left out is neither safe nor bad.
      const status = statusOf(cells.filter((_, i) => ran.has(kernels[i] ?? '')));
      const head = name.length <= nameWidth ? name.padEnd(nameWidth) : null;
      if (head === null) out.push(`  ${name}`);
      lines.forEach((l, i) => {
        const left = i === 0 && head !== null ? head : ''.padEnd(nameWidth);
        const right = i === 0 ? status : '';
        out.push(`  ${left}  ${l.padEnd(runsWidth)}  ${right}`.trimEnd());
      });
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * What the tally's passes hold that judged nothing: a verdict with no expectation stated (a condition
 * with no `expect` line for that release), and on a what-if (`vX[policy=value]`, profiles.ts) every
 * condition, since expectations name releases; invariants there are judged against never, as anywhere.
 */
function unjudgedNote(rows: readonly Row[]): string {
  const whatIfs = [...new Set(rows.map((r) => r.kernel).filter((k) => k.includes('[')))];
  // A what-if's conditions are unjudged whatever the file says (the note above): not counted here.
  const n = rows.filter(
    (r) => r.ok === null && r.verdict !== 'unavailable' && !r.kernel.includes('['),
  ).length;
  const notes: string[] = [];
  if (whatIfs.length > 0)
    notes.push(
      `what-if ${whatIfs.join(', ')}: expectations name releases, so its conditions are reported, not ` +
        'judged; its invariants are judged against never, as on every release.',
    );
  if (n > 0)
    notes.push(
      `${n} ${n === 1 ? 'verdict has' : 'verdicts have'} no expectation and ${n === 1 ? 'counts' : 'count'} ` +
        `as passed: an \`expect\` line would judge ${n === 1 ? 'it' : 'them'}.`,
    );
  return notes.map((t) => `${fit(chunks(t), '', '  ').join('\n')}\n`).join('');
}

/** Each line of `text` within the report's width, a long one continued on lines indented by two. */
function fitLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.length <= WIDTH ? l : fit(chunks(l), '', '  ').join('\n')))
    .join('\n');
}

/** Why a release cannot run a scenario (`n/a`), once per scenario and reason, with its releases. */
function unavailableReasons(rows: readonly Row[], kernels: readonly string[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.verdict !== 'unavailable' || r.reason === null) continue;
    const key = `${r.scenario}\t${r.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = r.reason;
    const has = kernels.map((k) =>
      rows.some(
        (x) =>
          x.scenario === r.scenario && x.kernel === k && x.verdict === 'unavailable' && x.reason === reason,
      )
        ? 'y'
        : '',
    );
    const where = runsOf(has)
      .filter((run) => run.value === 'y')
      .map((run) => releasesOf(run, kernels))
      .join(', ');
    const line = `n/a: ${r.scenario} on ${where}: ${reason}`;
    const long = [`n/a: ${r.scenario} on ${where}:`, ...fit(chunks(reason), '     ', '     ')];
    out.push(line.length <= WIDTH ? `${line}\n` : `${long.join('\n')}\n`);
  }
  return out.join('');
}

/** The counts, with the tests of `notRun` left-out searches skipped, and what made the run partial. */
function totalsLine(rows: readonly Row[], notRun: number): string {
  const t = tally(rows);
  const stopped = new Set(rows.filter((r) => r.bound !== null).map((r) => `${r.scenario}\t${r.kernel}`));
  const why = [
    ...(stopped.size > 0 ? [`partial: a bound stopped ${stopped.size} of the searches`] : []),
    ...(notRun > 0 ? [`${notRun} not run: interrupted`] : []),
  ];
  return `${t.pass} passed, ${t.fail} failed, ${t.skip + notRun} skipped${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
}

/**
 * The whole report: the table (runs of equal verdicts, or the full grid under `wide`), the legend, why
 * each `n/a`, then each unexpected verdict's shortest trace. `files` maps a scenario id to the file
 * `pinlab replay` needs for it (none for the built-in library's).
 */
export function textReport(
  rows: readonly Row[],
  kernels: readonly string[],
  files: ReadonlyMap<string, string> = new Map(),
  options: TextOptions = {},
): string {
  let out =
    options.wide === true ? textTable(rows, kernels) : textRuns(rows, kernels, options.timings ?? true);
  out += `\n${LEGEND}`;
  if (options.states === true) out += `\n${finalStatesText(rows, kernels)}`;
  const failed = fitLines(failedOpsText(rows, kernels) + deadlockText(rows, kernels));
  if (failed !== '') out += `\n${failed}`;
  const na = unavailableReasons(rows, kernels);
  if (na !== '') out += `\n${na}`;
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
  const unjudged = unjudgedNote(rows);
  if (unjudged !== '') out += `\n${unjudged}`;
  out += `\n${totalsLine(rows, options.partial?.notRun.length ?? 0)}\n`;
  return printable(out);
}
