import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelProfile } from '../model/profile/profiles.js';
import { exportScenario } from './export-c.js';
import { compareVerdict, parseKtap, refusals, type Outcome } from '../export/index.js';
import type { ParsedScenario } from '../scenario/index.js';
import type { Row } from '../suite/run.js';

/**
 * The comparison of a scenario's real runs with the model's verdicts, shared by `pinlab real` (this
 * kernel) and `pinlab lab` (kernels booted in a VM): one row per condition, or one for a whole
 * scenario that was refused, skipped or failed.
 */
export interface RealRow {
  readonly scenario: string;
  readonly condition: string;
  readonly model: string;
  readonly kernel: string;
  readonly outcome: Outcome | 'refused' | 'error' | 'unchecked';
  readonly why: string;
}

export function scenarioRow(s: ParsedScenario, outcome: RealRow['outcome'], why: string): RealRow {
  return { scenario: s.scenario.id, condition: '-', model: '-', kernel: '-', outcome, why };
}

/** The row of a scenario a process cannot run (export-c refuses it), or null. */
export function refusedRow(s: ParsedScenario): RealRow | null {
  const refused = refusals(s.scenario);
  const r = refused[0];
  if (r === undefined) return null;
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : '';
  return scenarioRow(s, 'refused', `${r.where}: ${r.reason}${more}`);
}

/** Why a condition has no result: what the program printed last, so a cut or garbled output shows. */
function noLine(stdout: string): string {
  const last = stdout.trimEnd().split('\n').slice(-2).join(' | ');
  return `no KTAP line for it (the program's last output: ${last === '' ? 'none' : JSON.stringify(last)})`;
}

/**
 * Compare one exported program's KTAP output with the model's rows of its scenario on the kernel's
 * profile. `failure` is why the program itself failed (a signal, an exit status), or null.
 */
export function compareRun(
  s: ParsedScenario,
  model: readonly Row[],
  stdout: string,
  failure: string | null,
): RealRow[] {
  const ktap = parseKtap(stdout);
  if (ktap.bail !== null || failure !== null)
    return [scenarioRow(s, 'error', `the program failed: ${ktap.bail ?? failure ?? ''}`)];
  const rows = s.scenario.conditions.map((c, i): RealRow => {
    const line = ktap.lines.find((l) => l.index === i + 1);
    const verdict =
      model.find((r) => r.kind === 'condition' && r.condition === c.name)?.verdict ?? 'unavailable';
    const base = { scenario: s.scenario.id, condition: c.name, model: verdict };
    if (line === undefined) return { ...base, kernel: '-', outcome: 'error', why: noLine(stdout) };
    if (line.skip !== null) return { ...base, kernel: 'skipped', outcome: 'skip', why: line.skip };
    const seen = line.seen ?? 0;
    const total = line.runs ?? 0;
    const cmp = compareVerdict(verdict, seen, total);
    return { ...base, kernel: `${seen}/${total}`, outcome: cmp.outcome, why: cmp.why };
  });
  const unobservable = model
    .filter((r) => r.kind === 'invariant')
    .map((r): RealRow => ({
      scenario: s.scenario.id,
      condition: `[${r.condition}]`,
      model: r.verdict,
      kernel: '-',
      outcome: 'unchecked',
      why: '',
    }));
  return [...rows, ...unobservable];
}

/** The rows as an aligned table, the kernel's column named after the profile. */
export function realTable(rows: readonly RealRow[], kernel: string): string {
  const head = ['scenario', 'condition', `model ${kernel}`, 'kernel (runs seen)', 'outcome'];
  const cells = rows.map((r) => [r.scenario, r.condition, r.model, r.kernel, r.outcome]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => x.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
}

/** The rows' reasons (every row that does not simply agree), then the counts. */
export function realSummary(rows: readonly RealRow[]): string {
  const notes = rows
    .filter((r) => r.why !== '' && r.outcome !== 'agree')
    .map((r) => `${r.outcome}: ${r.scenario}${r.condition === '-' ? '' : ` ${r.condition}`}: ${r.why}\n`);
  const count = (o: RealRow['outcome']): number => rows.filter((r) => r.outcome === o).length;
  return (
    (notes.length > 0 ? `\n${notes.join('')}` : '') +
    `\n${count('agree')} agree, ${count('contradiction')} contradictions, ${count('note')} notes, ` +
    `${count('skip')} skipped, ${count('refused')} scenarios refused, ${count('error')} errors; ` +
    `${count('unchecked')} invariants not checked (not observable from user space)\n`
  );
}

/** A contradiction or a failed program: the run disagrees with the model or proves nothing. */
export function realFailed(rows: readonly RealRow[]): boolean {
  return rows.some((r) => r.outcome === 'contradiction' || r.outcome === 'error');
}

/**
 * Export a scenario for a profile as a program of `runs` runs and compile it with `cc` in `dir`
 * (`flags` adds options: the lab links statically). The binary, or why it could not be built.
 */
export function compileExport(
  s: ParsedScenario,
  profile: KernelProfile,
  runs: number,
  dir: string,
  flags: readonly string[],
): { readonly binary: string; readonly error: string | null } {
  const src = join(dir, 'prog.c');
  const binary = join(dir, 'prog');
  writeFileSync(src, exportScenario(s, [profile], runs));
  const built = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-pthread', ...flags, '-o', binary, src], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const error =
    built.status === 0 ? null : `cc failed: ${(built.stderr || String(built.error)).split('\n')[0] ?? ''}`;
  return { binary, error };
}
