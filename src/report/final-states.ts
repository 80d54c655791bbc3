import type { FinalStates, Row } from '../suite/run.js';
import { releasesOf, runsOf } from './runs.js';
import type { FinalStatesEntry } from './trace-file.js';

/** How many distinct final states `--states` lists per scenario and release; the rest are counted. */
export const STATES_SHOWN = 20;

/** One (scenario, release) search's final states: the first row of each pair that ran. */
function searches(rows: readonly Row[]): { scenario: string; kernel: string; finals: FinalStates }[] {
  const seen = new Map<string, { scenario: string; kernel: string; finals: FinalStates }>();
  for (const r of rows)
    if (r.finals !== null && !seen.has(`${r.scenario}\t${r.kernel}`))
      seen.set(`${r.scenario}\t${r.kernel}`, { scenario: r.scenario, kernel: r.kernel, finals: r.finals });
  return [...seen.values()];
}

/** A final state as herd7 prints one: `A:r="x"; P:buf="A";` (an unset value reads `-`). */
function stateText(reads: readonly string[], values: readonly (string | null)[]): string {
  return reads.map((name, i) => `${name}=${values[i] == null ? '-' : JSON.stringify(values[i])};`).join(' ');
}

/** One search's list: `States N`, then `count  state` lines, at most STATES_SHOWN, then what is left. */
function listText(f: FinalStates): string[] {
  const total = f.list.reduce((n, o) => n + o.count, 0) + f.unlisted;
  if (f.reads.length === 0) return [`  States ${total} (the conditions read no value)`];
  const lines = [`  States ${total}`];
  for (const o of f.list.slice(0, STATES_SHOWN))
    lines.push(`  ${String(o.count).padStart(6)}  ${stateText(f.reads, o.values)}`);
  const more = f.list.length - STATES_SHOWN;
  if (more > 0) lines.push(`  ... ${more} more distinct final states not shown`);
  if (f.unlisted > 0)
    lines.push(`  ... ${f.unlisted} final states past the search's list of ${f.list.length}`);
  return lines;
}

/**
 * `--states` in text: per scenario, the distinct final states of each release (releases in a row
 * with the same list share it, written as `expect` lines write them), sorted by value.
 */
export function finalStatesText(rows: readonly Row[], kernels: readonly string[]): string {
  const all = searches(rows);
  const out: string[] = [];
  for (const scenario of [...new Set(all.map((s) => s.scenario))]) {
    const mine = new Map(
      all.filter((s) => s.scenario === scenario).map((s) => [s.kernel, s.finals] as const),
    );
    const lists = kernels.map((k) => {
      const f = mine.get(k);
      return f === undefined ? '' : listText(f).join('\n');
    });
    for (const run of runsOf(lists).filter((r) => r.value !== ''))
      out.push(`final states of ${scenario} on ${releasesOf(run, kernels)}:`, run.value);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** `--states` in JSON: one entry per scenario and release, each state with its values by name. */
export function finalStatesJson(rows: readonly Row[]): FinalStatesEntry[] {
  return searches(rows).map(({ scenario, kernel, finals }) => ({
    scenario,
    kernel,
    reads: finals.reads,
    states: finals.list.map((o) => ({
      values: Object.fromEntries(finals.reads.map((name, i) => [name, o.values[i] ?? null])),
      count: o.count,
    })),
    unlisted: finals.unlisted,
  }));
}
