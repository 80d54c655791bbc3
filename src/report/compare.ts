import type { TraceStep } from '../check/index.js';
import { sameCalls, sameFunction, type Speaker } from '../model/profile/names.js';
import { fileStep, type FileStep } from './trace-file.js';
import { printable } from './printable.js';
import { chunks, fit } from './fit.js';

/**
 * One interleaving on two releases, step by step: the trace `explain` found on the first, and the
 * same transitions replayed on the second, with the first step where the two differ (another kernel
 * function, return value, counters or violations), as a fix shows itself.
 */
export interface Comparison {
  readonly a: ComparedRun;
  readonly b: ComparedRun;
  /** 0-based index of the first transition the second release could not take there, or null. */
  readonly notEnabledAt: number | null;
}

/** One run: the profile's name, the release (and series' names) its steps speak, and the steps. */
export interface ComparedRun extends Speaker {
  readonly kernel: string;
  readonly steps: readonly TraceStep[];
}

/** What a step did, without its position, the full state after it, or its functions' names. */
function effect(s: TraceStep): string {
  const violations = s.violations.map((v) => v.invariant);
  return JSON.stringify([s.actor, s.ret, s.folios, violations]);
}

/**
 * Whether two runs' steps do the same: the same effect, and the same functions by identity, so a
 * function renamed between the two releases (iov_iter_get_pages, iov_iter_get_pages2) is no difference.
 */
function sameStep(x: TraceStep, rx: Speaker, y: TraceStep, ry: Speaker): boolean {
  return effect(x) === effect(y) && sameFunction(x.fn, rx, y.fn, ry) && sameCalls(x.calls, rx, y.calls, ry);
}

/** The index of the first step that differs between the two runs, or null when none does. */
export function firstDifference(c: Comparison): number | null {
  const n = Math.max(c.a.steps.length, c.b.steps.length);
  for (let i = 0; i < n; i++) {
    const x = c.a.steps[i];
    const y = c.b.steps[i];
    if (x === undefined || y === undefined || !sameStep(x, c.a, y, c.b)) return i;
  }
  return null;
}

const COLUMN = 46;

function head(s: TraceStep | undefined): string {
  if (s === undefined) return '';
  const ret = s.ret === null ? '' : ` = ${s.ret}`;
  const text = `${s.actorName}: ${s.op} -> ${s.fn}()${ret}`;
  return text.length <= COLUMN ? text : `${text.slice(0, COLUMN - 1)}…`;
}

function counters(s: TraceStep): string[] {
  return s.folios.map((f) => {
    const c = f.after;
    const now =
      c === null ? '(none)' : c.freed ? 'freed' : `ref=${c.refcount} map=${c.mapcount} pin=${c.pincount}`;
    return `folio ${f.id}: ${now}${s.violations.length > 0 ? `; !! ${s.violations.map((v) => v.invariant).join(', ')}` : ''}`;
  });
}

/** The two runs side by side in 100 columns, `>>` at the first step that differs, then that step in full. */
export function comparisonText(c: Comparison): string {
  const at = firstDifference(c);
  const n = Math.max(c.a.steps.length, c.b.steps.length);
  const lines = [`step  ${c.a.kernel.padEnd(COLUMN)}  ${c.b.kernel}`];
  for (let i = 0; i < n; i++) {
    const mark = i === at ? '>>' : '  ';
    const num = `${i + 1}.`.padStart(3);
    const right = i === c.notEnabledAt ? '(cannot take this step here)' : head(c.b.steps[i]);
    lines.push(`${mark}${num} ${head(c.a.steps[i]).padEnd(COLUMN)}  ${right}`.trimEnd());
  }
  if (at === null) lines.push(`the interleaving runs the same on ${c.a.kernel} and ${c.b.kernel}`);
  else {
    lines.push(`first difference at step ${at + 1}:`);
    for (const [kernel, s] of [
      [c.a.kernel, c.a.steps[at]],
      [c.b.kernel, c.b.steps[at]],
    ] as const) {
      if (s === undefined) {
        lines.push(
          `  ${kernel}: no such step (${c.notEnabledAt === at ? 'not enabled there' : 'the run ended'})`,
        );
        continue;
      }
      const calls = s.calls.length > 0 ? ` via ${s.calls.join(' > ')}` : '';
      const text = `${kernel}: ${s.fn}()${calls}${s.ret === null ? '' : ` = ${s.ret}`}`;
      lines.push(...fit(chunks(text), '  ', '      '));
      for (const l of counters(s)) lines.push(...fit(chunks(l), '    ', '      '));
    }
  }
  return printable(`${lines.join('\n')}\n`);
}

/** The comparison as JSON data: each run's steps as the trace file writes them, and where they part. */
export function comparisonJson(c: Comparison): {
  readonly kernel: string;
  readonly steps: readonly FileStep[];
  readonly notEnabledAt: number | null;
  readonly firstDifference: number | null;
} {
  return {
    kernel: c.b.kernel,
    steps: c.b.steps.map(fileStep),
    notEnabledAt: c.notEnabledAt,
    firstDifference: firstDifference(c),
  };
}
