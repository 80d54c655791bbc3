import { INVARIANTS } from '../model/invariants/index.js';
import { kernelProfile, isProfileError, type KernelProfile } from '../model/profile/profiles.js';
import {
  bisectText,
  bisectJson,
  preventText,
  preventJson,
  type BisectGroup,
  type BisectTarget,
  type BisectReport,
  type LibraryVerdict,
  type PreventReport,
} from '../report/bisect.js';
import type { ParsedScenario } from '../scenario/index.js';
import { ddmin, smallestSets, type Change } from '../suite/bisect.js';
import { ModelError, runSuite, type Row } from '../suite/run.js';
import {
  alternatives,
  bisectOutcome,
  firing,
  outcomeText,
  policySteps,
  preventProbe,
  profilesWith,
  recordingReads,
  targetKey,
  valueSources,
  verdictIn,
  type PolicyStep,
  type Run,
  type Target,
} from '../suite/whatif.js';
import { isArgsError, parseArgs, positiveInt, textOrJson } from './args.js';
import { pinConflict, resolveKernels } from './kernels.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';

/** The largest what-if set `prevent` tries unless told otherwise: pairs cover every seed's fix. */
const DEFAULT_MAX_SIZE = 2;

interface Common {
  readonly file: string;
  readonly scenarios: readonly ParsedScenario[];
  readonly condition: string | undefined;
  readonly format: 'text' | 'json';
  readonly values: ReadonlyMap<string, string[]>;
}

/** Parse FILE, --condition and --format, or print the mistake and return exit status 2. */
function prepare(
  args: readonly string[],
  io: Io,
  cmd: string,
  spec: Readonly<Record<string, 'value' | 'flag'>>,
): Common | number {
  const fail = (m: string): number => {
    io.err(`pinlab ${cmd}: ${m}\n`);
    return 2;
  };
  const p = parseArgs(args, { ...spec, condition: 'value', format: 'value' });
  if (isArgsError(p)) return fail(p.error);
  if (p.positionals.length !== 1) return fail('give exactly one scenario file');
  const format = textOrJson(p);
  if (isArgsError(format)) return fail(format.error);
  const file = p.positionals[0] as string;
  const loaded = loadScenarios([file], displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  const condition = p.values.get('condition')?.at(-1);
  const known = [
    ...new Set(loaded.scenarios.flatMap((s) => s.scenario.conditions.map((c) => c.name))),
    ...INVARIANTS.map((i) => i.name),
  ];
  if (condition !== undefined && !known.includes(condition))
    return fail(`unknown condition '${condition}' (known: ${known.join(' ')})`);
  return { file: displayName(file), scenarios: loaded.scenarios, condition, format, values: p.values };
}

/** One kernel option as a profile, or the one-line error. */
function profileOption(values: ReadonlyMap<string, string[]>, name: string): KernelProfile | string {
  const given = values.get(name)?.at(-1);
  if (given === undefined) return `give --${name} KERNEL`;
  const p = resolveKernels([given], []);
  if (typeof p === 'string') return p;
  return p.length === 1 ? (p[0] as KernelProfile) : `--${name} takes one kernel, not '${given}'`;
}

/** The message of a ModelError without its location: what the model could not do. */
function modelWhy(e: ModelError): string {
  const marker = 'the model cannot run it: ';
  const at = e.message.lastIndexOf(marker);
  return at < 0 ? e.message : e.message.slice(at + marker.length);
}

/**
 * The scenarios on one kernel with a set of what-ifs, each set run once: the rows and the policies the
 * model read, or why the profile is inconsistent or the model could not run it.
 */
function runner(scenarios: readonly ParsedScenario[], base: string): (set: readonly Change[]) => Run {
  const cache = new Map<string, Run>();
  return (set) => {
    const key = set
      .map((c) => `${c.policy}=${c.value}`)
      .sort()
      .join(',');
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const run = runOnce(scenarios, base, set);
    cache.set(key, run);
    return run;
  };
}

function runOnce(scenarios: readonly ParsedScenario[], base: string, set: readonly Change[]): Run {
  const p = kernelProfile(base, Object.fromEntries(set.map((c) => [c.policy, c.value])));
  if (isProfileError(p)) return { error: p.code };
  const conflict = pinConflict(p);
  if (conflict !== null) return { error: conflict };
  const rows: Row[] = [];
  const reads = new Set<string>();
  try {
    // One recorder per check: a recorder stops when its search returns.
    for (const s of scenarios) {
      const recorder = recordingReads(p);
      rows.push(...runSuite([s], [recorder.profile], { explorer: recorder.explorer, traces: false }));
      for (const r of recorder.reads) reads.add(r);
    }
  } catch (e) {
    if (e instanceof ModelError) return { error: modelWhy(e) };
    throw e;
  }
  return { rows, reads };
}

/** Rows whose verdicts differ between two runs, as targets (an invariant without a row never fired). */
function differing(a: Rows, b: Rows, condition: string | undefined): Target[] {
  const keys = new Map<string, Target>();
  for (const r of [...a.rows, ...b.rows])
    keys.set(targetKey(r), { scenario: r.scenario, condition: r.condition });
  return [...keys.values()].filter(
    (t) =>
      (condition === undefined || t.condition === condition) && verdictIn(a.rows, t) !== verdictIn(b.rows, t),
  );
}

/**
 * `pinlab bisect FILE --good K --bad K [--condition NAME]`: for every verdict that differs between the
 * two kernels, the smallest set of policy changes (delta debugging) that, applied to the bad kernel,
 * gives the good kernel's verdict, with the releases and commits that made them.
 */
export function bisectCommand(args: readonly string[], io: Io): number {
  const c = prepare(args, io, 'bisect', { good: 'value', bad: 'value' });
  if (typeof c === 'number') return c;
  const good = profileOption(c.values, 'good');
  const bad = profileOption(c.values, 'bad');
  for (const p of [good, bad])
    if (typeof p === 'string') {
      io.err(`pinlab bisect: ${p}\n`);
      return 2;
    }
  const report = bisect(c, good as KernelProfile, bad as KernelProfile);
  if (typeof report === 'string') {
    io.err(`pinlab bisect: ${report}\n`);
    return 3;
  }
  io.out(c.format === 'json' ? bisectJson(report) : bisectText(report));
  return 0;
}

type Rows = Extract<Run, { rows: unknown }>;

function bisect(c: Common, good: KernelProfile, bad: KernelProfile): BisectReport | string {
  const run = runner(c.scenarios, bad.name);
  const goodRun = runner(c.scenarios, good.name)([]);
  const badRun = run([]);
  if ('error' in goodRun) return `${c.file} on ${good.name}: ${goodRun.error}`;
  if ('error' in badRun) return `${c.file} on ${bad.name}: ${badRun.error}`;
  const { steps, roundTrips } = policySteps(bad, good);
  const changes: Change[] = steps.map((s) => ({ policy: s.policy, value: s.to }));
  const groups = new Map<string, BisectGroup>();
  for (const t of differing(badRun, goodRun, c.condition)) {
    const one = bisectTarget(t, changes, run, goodRun, badRun);
    // Targets the same changes flip, with the same outcomes without each, are reported together.
    const key = JSON.stringify([one.culprits, one.without]);
    const group = groups.get(key) ?? {
      targets: [],
      culprits: one.culprits?.map((x) => steps.find((s) => s.policy === x.policy) as PolicyStep) ?? null,
      without: one.without,
    };
    groups.set(key, { ...group, targets: [...group.targets, one.target] });
  }
  return { file: c.file, good: good.name, bad: bad.name, steps, roundTrips, groups: [...groups.values()] };
}

/** Delta debugging for one differing verdict, and for changes needed together, what each alone lacks. */
function bisectTarget(
  t: Target,
  changes: readonly Change[],
  run: (set: readonly Change[]) => Run,
  goodRun: Rows,
  badRun: Rows,
): { target: BisectTarget; culprits: Change[] | null; without: BisectGroup['without'] } {
  const verdicts = { good: verdictIn(goodRun.rows, t), bad: verdictIn(badRun.rows, t) };
  // Invariants either kernel shows may fire on the way; any other means an inconsistent mixture.
  const allowed = new Set([...firing(goodRun.rows, t.scenario), ...firing(badRun.rows, t.scenario)]);
  const culprits = ddmin(changes, (set) => bisectOutcome(run(set), t, verdicts, allowed));
  const without =
    culprits !== null && culprits.length > 1
      ? culprits.map((x) => ({
          change: x,
          outcome: outcomeText(run(culprits.filter((y) => y !== x)), t, allowed),
        }))
      : [];
  return { target: { ...t, ...verdicts }, culprits, without };
}

/**
 * `pinlab prevent FILE --kernel K [--condition NAME] [--max-size N]`: the smallest sets of what-if
 * policy values under which every bad outcome of the scenario on K is `never`, and what each set does
 * to the rest of the library.
 */
export function preventCommand(args: readonly string[], io: Io): number {
  const c = prepare(args, io, 'prevent', { kernel: 'value', 'max-size': 'value' });
  if (typeof c === 'number') return c;
  const kernel = profileOption(c.values, 'kernel');
  const maxSize = positiveInt('max-size', c.values.get('max-size')?.at(-1)) ?? DEFAULT_MAX_SIZE;
  for (const problem of [kernel, maxSize])
    if (typeof problem === 'string') {
      io.err(`pinlab prevent: ${problem}\n`);
      return 2;
    }
  const report = prevent(c, kernel as KernelProfile, maxSize as number);
  if (typeof report === 'string') {
    io.err(`pinlab prevent: ${report}\n`);
    return 3;
  }
  io.out(c.format === 'json' ? preventJson(report) : preventText(report));
  return 0;
}

function prevent(c: Common, kernel: KernelProfile, maxSize: number): PreventReport | string {
  const run = runner(c.scenarios, kernel.name);
  const base = run([]);
  if ('error' in base) return `${c.file} on ${kernel.name}: ${base.error}`;
  const targets = base.rows
    .filter((r) => r.verdict !== 'never' && r.verdict !== 'unavailable')
    .filter((r) => c.condition === undefined || r.condition === c.condition)
    .map((r) => ({ scenario: r.scenario, condition: r.condition, verdict: r.verdict }));
  const allowed = new Map(c.scenarios.map((s) => [s.scenario.id, firing(base.rows, s.scenario.id)] as const));
  const candidates = alternatives(kernel);
  const search =
    targets.length === 0
      ? { sets: [], tested: 0, skipped: 0 }
      : smallestSets(candidates, maxSize, (set) => preventProbe(run(set), targets, allowed));
  const library = otherLibrary(c.scenarios);
  const before = library.map((s) => runOnce([s], kernel.name, []));
  return {
    file: c.file,
    kernel: kernel.name,
    maxSize,
    candidates: candidates.length,
    targets,
    tested: search.tested,
    skipped: search.skipped,
    sets: search.sets.map((set) => ({
      set,
      sources: set.map(valueSources),
      profiles: profilesWith(set),
      library: library.flatMap((s, i) =>
        libraryVerdicts(s, before[i] as Run, runOnce([s], kernel.name, set)),
      ),
    })),
  };
}

/** The library's scenarios other than the file's own. */
function otherLibrary(own: readonly ParsedScenario[]): ParsedScenario[] {
  const loaded = loadScenarios(libraryFiles(), displayName);
  const ids = new Set(own.map((s) => s.scenario.id));
  return loaded.ok ? loaded.scenarios.filter((s) => !ids.has(s.scenario.id)) : [];
}

/** A library scenario's verdicts under a set next to the kernel's own; one entry when the model cannot run it. */
function libraryVerdicts(s: ParsedScenario, before: Run, after: Run): LibraryVerdict[] {
  const scenario = s.scenario.id;
  if ('error' in after || 'error' in before) {
    const why = (r: Run): string => ('error' in r ? `error: ${r.error}` : 'ran');
    return [{ scenario, condition: '*', before: why(before), after: why(after) }];
  }
  const keys = new Map<string, Target>();
  for (const r of [...before.rows, ...after.rows])
    keys.set(targetKey(r), { scenario, condition: r.condition });
  return [...keys.values()].map((t) => ({
    ...t,
    before: verdictIn(before.rows, t),
    after: verdictIn(after.rows, t),
  }));
}
