import { INVARIANTS } from '../model/invariants/index.js';
import type { Change } from '../suite/bisect.js';
import { jsonDocument } from './document.js';
import type { PolicyStep, Source, Target } from '../suite/whatif.js';

/** A verdict that differs between the two kernels of a bisection. */
export interface BisectTarget extends Target {
  readonly good: string;
  readonly bad: string;
}

/** The targets one set of policy changes flips (null: applying them all does not). */
export interface BisectGroup {
  readonly targets: readonly BisectTarget[];
  readonly culprits: readonly PolicyStep[] | null;
  /** For changes needed together: the target's outcome when one of them is left out. */
  readonly without: readonly { readonly change: Change; readonly outcome: string }[];
}

export interface BisectReport {
  readonly file: string;
  readonly good: string;
  readonly bad: string;
  readonly steps: readonly PolicyStep[];
  readonly roundTrips: readonly PolicyStep[];
  readonly groups: readonly BisectGroup[];
}

/** One verdict of another library scenario, on the kernel and under a what-if set. */
export interface LibraryVerdict extends Target {
  readonly before: string;
  readonly after: string;
}

export interface PreventSet {
  readonly set: readonly Change[];
  /** Per change, the releases and variants that have that value (none: a what-if only). */
  readonly sources: readonly (readonly Source[])[];
  /** The profiles that have every value of the set. */
  readonly profiles: readonly string[];
  readonly library: readonly LibraryVerdict[];
}

export interface PreventReport {
  readonly file: string;
  readonly kernel: string;
  readonly maxSize: number;
  readonly candidates: number;
  readonly targets: readonly (Target & { readonly verdict: string })[];
  readonly tested: number;
  readonly skipped: number;
  readonly sets: readonly PreventSet[];
}

const INVARIANT_NAMES = new Set(INVARIANTS.map((i) => i.name));

/** A row's name as `pinlab check` prints it: invariants in brackets. */
function what(t: Target): string {
  return `${t.scenario}  ${INVARIANT_NAMES.has(t.condition) ? `[${t.condition}]` : t.condition}`;
}

const change = (c: Change): string => `${c.policy}=${c.value}`;

function sourceLines(sources: readonly Source[], indent: string): string[] {
  return sources.length === 0
    ? [`${indent}what-if only: no release or variant has it`]
    : sources.map((s) => `${indent}${s.where.padEnd(10)} ${s.value}: ${s.commit}`);
}

function stepLines(s: PolicyStep): string[] {
  return [`    ${s.policy}: ${s.from} -> ${s.to}`, ...sourceLines(s.sources, '      ')];
}

function groupLines(g: BisectGroup, r: BisectReport): string[] {
  const head = g.targets.map((t) => `${what(t)}: ${t.bad} on ${r.bad}, ${t.good} on ${r.good}`);
  if (g.culprits === null)
    return [...head, '  no set of these policy changes gives the good verdict (the model differs elsewhere)'];
  const n = g.culprits.length;
  const intro =
    n === 1
      ? '  flipped by one policy change:'
      : `  flipped by ${n} policy changes together (each is needed: leave one out and it does not flip):`;
  const without = g.without.map((w) => `    without ${change(w.change)}: ${w.outcome}`);
  return [...head, intro, ...g.culprits.flatMap(stepLines), ...without];
}

/** `pinlab bisect`'s text: per group of differing verdicts, the policy changes that flip them. */
export function bisectText(r: BisectReport): string {
  const lines = [
    `pinlab bisect ${r.file}: from ${r.bad} (bad) to ${r.good} (good), delta debugging over the ${r.steps.length} policies that differ: ${r.steps.map((s) => s.policy).join(' ')}`,
  ];
  if (r.groups.length === 0) lines.push('', `no verdict differs between ${r.bad} and ${r.good}`);
  for (const g of r.groups) lines.push('', ...groupLines(g, r));
  if (r.roundTrips.length > 0) {
    lines.push(
      '',
      'changed between the two releases and back, so not walked (bisect from or to a release between them to see them):',
    );
    for (const s of r.roundTrips)
      lines.push(`    ${s.policy}: ${s.from}`, ...sourceLines(s.sources, '      '));
  }
  return `${lines.join('\n')}\n`;
}

export function bisectJson(r: BisectReport): string {
  return jsonDocument('bisect', { bisect: r });
}

function setLines(s: PreventSet, i: number, r: PreventReport): string[] {
  const where = s.profiles.length > 0 ? `as in ${s.profiles.join(' ')}` : 'in no release or variant';
  const changed = s.library.filter((v) => v.before !== v.after);
  return [
    `${i + 1}. ${s.set.map(change).join(' + ')}  (${where})`,
    ...s.set.flatMap((c, k) => [`     ${change(c)}`, ...sourceLines(s.sources[k] ?? [], '       ')]),
    `   the other library scenarios: ${changed.length} verdicts change, ${s.library.length - changed.length} stay as on ${r.kernel}`,
    ...changed.map((v) => `     ${what(v)}: ${v.before} -> ${v.after}`),
  ];
}

/** `pinlab prevent`'s text: the bad outcomes, the bound, and each smallest preventing set. */
export function preventText(r: PreventReport): string {
  const lines = [`pinlab prevent ${r.file} on ${r.kernel}`];
  if (r.targets.length === 0)
    return `${lines[0]}: no bad outcome to prevent (every condition and invariant is never, or the kernel cannot run it)\n`;
  lines.push(
    `bad outcomes: ${r.targets.length}`,
    ...r.targets.map((t) => `  ${what(t)}: ${t.verdict}`),
    `searched every set of at most ${r.maxSize} what-if values (of ${r.candidates}, one value per policy; --max-size to change): ${r.tested} run, ${r.skipped} decided without a run`,
  );
  if (r.sets.length === 0)
    lines.push('', `no set of at most ${r.maxSize} values makes every bad outcome never`);
  else
    lines.push(
      '',
      `the smallest sets under which every bad outcome is never and no other invariant fires (${r.sets.length}):`,
    );
  r.sets.forEach((s, i) => lines.push(...setLines(s, i, r)));
  return `${lines.join('\n')}\n`;
}

export function preventJson(r: PreventReport): string {
  return jsonDocument('prevent', { prevent: r });
}
