import { cProgram, refusals, schedules, type Refusal, type SourcedTrace } from '../export/index.js';
import { RELEASES, kernelProfile, isProfileError, type KernelProfile } from '../model/profile/profiles.js';
import type { ParsedScenario } from '../scenario/index.js';
import { runSuite } from '../suite/run.js';
import { isArgsError, parseArgs, positiveInt } from './args.js';
import { outputProblem, writeOutput } from './files.js';
import { resolveKernels } from './kernels.js';
import { displayName, loadScenarios } from './library.js';
import type { Io } from './run.js';

export const DEFAULT_RUNS = 500;

/** The releases newest first, as profiles: where to look for a trace of each condition. */
function releasesNewestFirst(): KernelProfile[] {
  return [...RELEASES].reverse().flatMap((r) => {
    const p = kernelProfile(r);
    return isProfileError(p) ? [] : [p];
  });
}

/**
 * For each condition, the model's shortest trace to it on the first profile of `prefer` (then every
 * release, newest first) where it holds at all: the interleaving the real runs should try hardest.
 */
export function modelTraces(s: ParsedScenario, prefer: readonly KernelProfile[]): SourcedTrace[] {
  const out: SourcedTrace[] = [];
  const missing = new Set(s.scenario.conditions.map((c) => c.name));
  for (const profile of [...prefer, ...releasesNewestFirst()]) {
    if (missing.size === 0) break;
    for (const row of runSuite([s], [profile])) {
      if (row.kind !== 'condition' || !missing.has(row.condition) || row.trace === null) continue;
      if (row.verdict !== 'sometimes' && row.verdict !== 'always') continue;
      missing.delete(row.condition);
      out.push({ steps: row.trace.steps, from: `the model's trace to ${row.condition} on ${profile.name}` });
    }
  }
  return out;
}

/** The C program for an exportable scenario, its interleavings widened from the model's traces. */
export function exportScenario(s: ParsedScenario, prefer: readonly KernelProfile[], runs: number): string {
  const threads = s.scenario.program.actors.length;
  return cProgram(s.scenario, { runs, schedules: schedules(modelTraces(s, prefer), threads) });
}

export function refusalText(id: string, r: readonly Refusal[]): string {
  return r.map((x) => `${id}: cannot run on a real kernel: ${x.where}: ${x.reason}\n`).join('');
}

/**
 * Where one of several expansions goes: `prog.c` -> `prog-path=iomap.c`; `prog-2.c` (the expansion's
 * number) when an axis value has a character outside [A-Za-z0-9_.+=,-], such as a `/`.
 */
function outputName(out: string, s: ParsedScenario, index: number, many: boolean): string {
  if (!many) return out;
  const named = s.scenario.axes.map((a) => `${a.axis}=${a.value}`).join(',');
  const tag = /^[\w.+=,-]+$/.test(named) ? named : String(index + 1);
  const dot = out.lastIndexOf('.');
  return dot > out.lastIndexOf('/') ? `${out.slice(0, dot)}-${tag}${out.slice(dot)}` : `${out}-${tag}`;
}

/**
 * `pinlab export-c FILE [-o prog.c] [--runs N] [--kernel K]`: the scenario as a C program. A file with
 * axes gives one program per exportable expansion. Refused expansions are listed with their reasons;
 * exit 2 when nothing could be exported.
 */
export function exportCCommand(args: readonly string[], io: Io): number {
  const argv = args.map((a) => (a === '-o' ? '--output' : a));
  const p = parseArgs(argv, { output: 'value', runs: 'value', kernel: 'value' });
  const fail = (m: string): number => {
    io.err(`pinlab export-c: ${m}\n`);
    return 2;
  };
  if (isArgsError(p)) return fail(p.error);
  if (p.positionals.length !== 1) return fail('give one scenario file: pinlab export-c FILE [-o prog.c]');
  const runs = positiveInt('runs', p.values.get('runs')?.at(-1)) ?? DEFAULT_RUNS;
  if (typeof runs === 'string') return fail(runs);
  const kernels = p.values.has('kernel') ? resolveKernels(p.values.get('kernel') ?? [], []) : [];
  if (typeof kernels === 'string') return fail(kernels);
  const out = p.values.get('output')?.at(-1);
  const loaded = loadScenarios(p.positionals, displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  const ok = loaded.scenarios.filter((s) => refusals(s.scenario).length === 0);
  for (const s of loaded.scenarios) io.err(refusalText(s.scenario.id, refusals(s.scenario)));
  if (ok.length === 0) return 2;
  if (out !== undefined)
    for (const s of ok) {
      const refused = outputProblem(outputName(out, s, ok.indexOf(s), ok.length > 1), p.positionals);
      if (refused !== null) return fail(refused);
    }
  if (out === undefined && ok.length > 1)
    return fail(
      `the file gives ${ok.length} exportable scenarios (one per axis value): name an output with -o`,
    );
  for (const s of ok) {
    const text = exportScenario(s, kernels, runs);
    if (out === undefined) {
      io.out(text);
      continue;
    }
    const name = outputName(out, s, ok.indexOf(s), ok.length > 1);
    const problem = writeOutput(name, text, p.positionals);
    if (problem !== null) return fail(problem);
    io.err(`${s.scenario.id}: wrote ${name}\n`);
  }
  return 0;
}
