import { availableParallelism } from 'node:os';
import type { KernelProfile } from '../model/profile/profiles.js';
import { jsonReport, jsonResult } from '../report/json.js';
import { jsonDocument } from '../report/document.js';
import type { Interrupted } from '../report/trace-file.js';
import { itfReport, itfTrace } from '../report/itf.js';
import { junitReport } from '../report/junit.js';
import { ktapReport } from '../report/ktap.js';
import type { PartialRun } from '../report/outcome.js';
import { textReport, textTrace } from '../report/text.js';
import { comparisonJson, comparisonText, type Comparison } from '../report/compare.js';
import { decodeToken } from '../check/index.js';
import { runSteps } from '../check/trace.js';
import { instantiate } from '../model/engine/instantiate.js';
import { INVARIANTS } from '../model/invariants/index.js';
import type { ParsedScenario } from '../scenario/index.js';
import { plannedTests, runSuite, type Row, type SuiteOptions } from '../suite/run.js';
import { isArgsError, parseArgs, positiveInt, sizeArg } from './args.js';
import { threadedExplorer, threadsAvailable } from '../runtime/threads.js';
import { defaultMaxMemory, interrupted, readMemory, watch, type WatchData } from '../runtime/watch.js';
import { runInWorkers, workersAvailable, type ProgressMessage, type SuiteWork } from './parallel.js';
import { resolveKernels } from './kernels.js';
import { outputProblem, writeOutput } from './files.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';
import {
  boundStatistics,
  CALLBACK_EVERY,
  progressChoice,
  progressMeter,
  type ProgressChoice,
} from './progress.js';

const FORMATS = ['text', 'json', 'ktap', 'junit', 'itf'] as const;
type Format = (typeof FORMATS)[number];

const SPEC = {
  kernel: 'value',
  set: 'value',
  format: 'value',
  'max-states': 'value',
  'max-memory': 'value',
  timeout: 'value',
  'no-por': 'flag',
  jobs: 'value',
  threads: 'value',
  progress: 'value',
  'progress-every': 'value',
  quiet: 'flag',
  'no-timings': 'flag',
  wide: 'flag',
  states: 'flag',
} as const;

interface Job {
  readonly scenarios: ParsedScenario[];
  readonly kernels: readonly KernelProfile[];
  readonly options: SuiteOptions;
  readonly format: Format;
  /** explain's `--out FILE`. */
  readonly out: string | undefined;
  /** The same job for worker threads, and how many (1: in this thread). */
  readonly work: SuiteWork;
  readonly jobs: number;
  /** Scenario id to the file `pinlab replay` needs (the files given; none for the built-in library). */
  readonly files: ReadonlyMap<string, string>;
  readonly progress: ProgressChoice;
  /** Wall times in JSON and JUnit (off: `--no-timings`, so two runs compare byte for byte). */
  readonly timings: boolean;
  /** The text report's full grid (`--wide`). */
  readonly wide: boolean;
  /** The distinct final states of each search (`--states`), in text and JSON. */
  readonly states: boolean;
  /** The memory bound and the Ctrl-C word every search of the run watches. */
  readonly watch: WatchData;
}

/** `--jobs N` or `--threads N` (default 1), at most one per core: more only share the same cores. */
function workerCount(name: string, v: string | undefined, io: Io, cmd: string): number | string {
  const n = positiveInt(name, v) ?? 1;
  const cores = availableParallelism();
  if (typeof n === 'string' || n <= cores) return n;
  io.err(`pinlab ${cmd}: --${name} ${n} is more than this machine's ${cores} cores: using ${cores}\n`);
  return cores;
}

/** Parse check/diff/explain arguments into a job, or print the user's mistake and return exit status 2. */
function prepare(
  args: readonly string[],
  io: Io,
  cmd: string,
  spec: Readonly<Record<string, 'value' | 'flag'>> = SPEC,
): Job | number {
  const p = parseArgs(args, spec);
  const fail = (m: string): number => {
    io.err(`pinlab ${cmd}: ${m}\n`);
    return 2;
  };
  if (isArgsError(p)) return fail(p.error);
  const format = (p.values.get('format')?.at(-1) ?? 'text') as Format;
  if (!FORMATS.includes(format)) return fail(`unknown format '${format}' (known: ${FORMATS.join(' ')})`);
  const kernels = resolveKernels(p.values.get('kernel') ?? [], p.values.get('set') ?? []);
  if (typeof kernels === 'string') return fail(kernels);
  const maxStates = positiveInt('max-states', p.values.get('max-states')?.at(-1));
  const timeout = positiveInt('timeout', p.values.get('timeout')?.at(-1));
  const asked = sizeArg('max-memory', p.values.get('max-memory')?.at(-1));
  const maxMemory = asked ?? defaultMaxMemory();
  const jobs = workerCount('jobs', p.values.get('jobs')?.at(-1), io, cmd);
  const threads = workerCount('threads', p.values.get('threads')?.at(-1), io, cmd);
  if (typeof maxStates === 'string') return fail(maxStates);
  if (typeof timeout === 'string') return fail(timeout);
  if (typeof maxMemory === 'string') return fail(maxMemory);
  if (typeof jobs === 'string') return fail(jobs);
  if (typeof threads === 'string') return fail(threads);
  const progress = progressChoice(p, io);
  if (typeof progress === 'string') return fail(progress);
  // Below what the process holds before any search, every search would stop at its first state.
  const baseline = readMemory().rss;
  if (typeof asked === 'number' && asked <= baseline)
    io.err(
      `pinlab ${cmd}: warning: --max-memory ${asked.toLocaleString('en-US')} bytes is below what pinlab ` +
        `holds before any search (${baseline.toLocaleString('en-US')} bytes): every search stops at once\n`,
    );
  if (jobs > 1 && threads > 1) return fail('--jobs and --threads share out the same cores: give one of them');
  if (threads > 1 && !threadsAvailable()) return fail('--threads needs the built pinlab (npm run build)');
  const files = p.positionals.length > 0 ? p.positionals : libraryFiles();
  const out = p.values.get('out')?.at(-1);
  const refused = out === undefined ? null : outputProblem(out, files);
  if (refused !== null) return fail(refused);
  const loaded = loadScenarios(files, displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  for (const w of loaded.warnings) io.err(`${w}\n`);
  const watched: WatchData = { maxMemory, interrupt: io.interrupt ?? null };
  // The fingerprint tables keep their own default limit (bounds.ts) unless a limit is given.
  const bounds = {
    ...(asked !== undefined ? { maxMemory } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(p.flags.has('no-por') ? { por: false } : {}),
  };
  const work: SuiteWork = {
    files,
    kernels: p.values.get('kernel') ?? [],
    sets: p.values.get('set') ?? [],
    bounds,
  };
  const options: SuiteOptions = {
    now: io.now ?? (() => performance.now()),
    ...bounds,
    shouldStop: watch(watched),
    ...(threads > 1 ? { explorer: threadedExplorer(threads, watched) } : {}),
  };
  const replayFiles = new Map(
    p.positionals.length === 0 ? [] : loaded.scenarios.map((s) => [s.scenario.id, s.where.file] as const),
  );
  return {
    scenarios: loaded.scenarios,
    kernels,
    options,
    format,
    out,
    work,
    jobs,
    files: replayFiles,
    timings: !p.flags.has('no-timings'),
    wide: p.flags.has('wide'),
    states: p.flags.has('states'),
    progress,
    watch: watched,
  };
}

/** The rows of every (scenario, kernel) pair: on `--jobs` workers, or pair by pair with the meter. */
function searchAll(job: Job, io: Io): Row[] {
  const pairs = job.scenarios.length * job.kernels.length;
  const meter = progressMeter(job.progress, io);
  if (job.jobs > 1 && pairs > 1 && workersAvailable()) {
    // Pairs are numbered scenario-major, as the workers claim them.
    const update = (m: ProgressMessage): void => {
      const s = job.scenarios[Math.floor(m.index / job.kernels.length)];
      const k = job.kernels[m.index % job.kernels.length];
      meter.begin(`[${m.index + 1}/${pairs}]`, s?.scenario.id ?? '?', k?.name ?? '?');
      meter.update(m.progress, m.seconds);
    };
    const every = job.progress.every ?? CALLBACK_EVERY;
    const progress = job.progress.mode === 'off' ? null : { every, update };
    const rows = runInWorkers(job.work, pairs, job.jobs, job.watch.interrupt, progress);
    meter.end();
    if (typeof rows !== 'string') return rows;
    io.err(`${rows}\n`);
    return runSuite(job.scenarios, job.kernels, job.options);
  }
  const options: SuiteOptions = {
    ...job.options,
    onProgress: (_id, _kernel, p) => meter.update(p),
    progressEvery: job.progress.every ?? CALLBACK_EVERY,
  };
  const rows: Row[] = [];
  let done = 0;
  for (const s of job.scenarios)
    for (const k of job.kernels) {
      // After a Ctrl-C the pairs left are not started: the report has what the run knew.
      if (interrupted(job.watch)) continue;
      done += 1;
      meter.begin(`[${done}/${pairs}]`, s.scenario.id, k.name);
      rows.push(...runSuite([s], [k], options));
    }
  meter.end();
  return rows;
}

/** After a Ctrl-C, how much of the run ran: `N of M (scenario, release) searches run; ...`. */
function searchesRun(rows: readonly Row[], job: Job): string {
  const pairs = job.scenarios.length * job.kernels.length;
  const run = new Set(rows.map((r) => `${r.scenario}\t${r.kernel}`)).size;
  return `${run} of ${pairs} (scenario, release) searches run; the verdicts are partial`;
}

/** After a Ctrl-C, the searches run and the (scenario, release) pairs left out; else undefined. */
function leftOut(rows: readonly Row[], job: Job): Interrupted | undefined {
  if (!interrupted(job.watch)) return undefined;
  const ran = new Set(rows.map((r) => `${r.scenario}\t${r.kernel}`));
  const all = job.scenarios.flatMap((s) =>
    job.kernels.map((k) => ({ scenario: s.scenario.id, kernel: k.name })),
  );
  const notRun = all.filter((p) => !ran.has(`${p.scenario}\t${p.kernel}`));
  return { run: all.length - notRun.length, searches: all.length, notRun };
}

/** After a Ctrl-C, the note of how much ran and the tests of the searches left out; else undefined. */
function partialRun(rows: readonly Row[], job: Job): PartialRun | undefined {
  const left = leftOut(rows, job);
  if (left === undefined) return undefined;
  const notRun = left.notRun.flatMap((p) => {
    const s = job.scenarios.find((x) => x.scenario.id === p.scenario);
    return s === undefined ? [] : plannedTests(s, p.kernel);
  });
  return { note: searchesRun(rows, job), notRun };
}

/** Run the suite, then the statistics of each search a bound or Ctrl-C stopped, on stderr. */
function runWithProgress(job: Job, io: Io): Row[] {
  const rows = searchAll(job, io);
  if (job.progress.mode !== 'off') io.err(boundStatistics(rows, job.progress.mode, job.watch.maxMemory));
  if (interrupted(job.watch)) io.err(`pinlab: interrupted: ${searchesRun(rows, job)}\n`);
  return rows;
}

/** The exit status after a run: 130 (a shell's for SIGINT) when Ctrl-C stopped it, else by the rows. */
function exitStatus(rows: readonly Row[], job: Job): number {
  if (interrupted(job.watch)) return 130;
  return rows.some((r) => r.ok === false) ? 1 : 0;
}

function report(rows: readonly Row[], job: Job): string {
  switch (job.format) {
    case 'json':
      return jsonReport(rows, job.timings, job.states, leftOut(rows, job));
    case 'ktap':
      return ktapReport(rows, job.files, partialRun(rows, job));
    case 'itf':
      return itfReport(rows);
    case 'junit':
      return junitReport(rows, job.files, job.timings, partialRun(rows, job));
    case 'text':
      return textReport(
        rows,
        job.kernels.map((k) => k.name),
        job.files,
        { wide: job.wide, timings: job.timings, states: job.states, partial: partialRun(rows, job) },
      );
  }
}

/** `pinlab check [FILES...]`: exit 0 when every verdict matches its expectation, 1 otherwise, 2 on a user error. */
export function checkCommand(args: readonly string[], io: Io): number {
  const job = prepare(args, io, 'check');
  if (typeof job === 'number') return job;
  const rows = runWithProgress(job, io);
  io.out(report(rows, job));
  return exitStatus(rows, job);
}

/** `pinlab diff --kernel A --kernel B [FILES...]`: only the verdicts that differ between two kernels. */
export function diffCommand(args: readonly string[], io: Io): number {
  const job = prepare(args, io, 'diff');
  if (typeof job === 'number') return job;
  if (job.kernels.length !== 2) {
    io.err('pinlab diff: give exactly two kernels (--kernel A --kernel B)\n');
    return 2;
  }
  if (job.format !== 'text' && job.format !== 'json') {
    io.err('pinlab diff: diff writes text or json\n');
    return 2;
  }
  const [a, b] = job.kernels.map((k) => k.name) as [string, string];
  const rows = runWithProgress(job, io);
  const key = (r: Row): string => `${r.scenario}\t${r.condition}`;
  const byKey = new Map<string, { a?: Row; b?: Row }>();
  for (const r of rows) {
    const e = byKey.get(key(r)) ?? {};
    if (r.kernel === a) e.a = r;
    else e.b = r;
    byKey.set(key(r), e);
  }
  // No row on a release whose search ran: an invariant that never fired there. No row at all for the
  // (scenario, release): a Ctrl-C left its search out, `-`.
  const ran = new Set(rows.map((r) => `${r.scenario}\t${r.kernel}`));
  const verdict = (k: string, kernel: string, r: Row | undefined): string =>
    r?.verdict ?? (ran.has(`${k.split('\t')[0] ?? ''}\t${kernel}`) ? 'never' : '-');
  const diffs = [...byKey.entries()]
    .map(([k, e]) => [k, verdict(k, a, e.a), verdict(k, b, e.b)] as const)
    .filter(([, va, vb]) => va !== vb);
  const status = interrupted(job.watch) ? 130 : 0;
  if (job.format === 'json') {
    const differences = diffs.map(([k, va, vb]) => {
      const [scenario, condition] = k.split('\t');
      return { scenario, condition, [a]: va, [b]: vb };
    });
    io.out(jsonDocument('diff', { kernels: [a, b], differences }));
    return status;
  }
  if (diffs.length === 0) io.out(`no verdict differs between ${a} and ${b}\n`);
  for (const [k, va, vb] of diffs) {
    const [scenario, condition] = k.split('\t');
    io.out(`${scenario}  ${condition}: ${a} ${va} -> ${b} ${vb}\n`);
  }
  return status;
}

const EXPLAIN_SPEC = { ...SPEC, out: 'value', condition: 'value', axis: 'value' } as const;

/** The scenarios whose axes hold every `K=V` asked, or a message naming one nobody holds. */
function withAxes(job: Job, asked: readonly string[]): Job | string {
  const scenarios = job.scenarios.filter((s) =>
    asked.every((kv) => s.scenario.axes.some((a) => `${a.axis}=${a.value}` === kv)),
  );
  if (scenarios.length > 0) return { ...job, scenarios };
  const known = [
    ...new Set(job.scenarios.flatMap((s) => s.scenario.axes.map((a) => `${a.axis}=${a.value}`))),
  ];
  return `no scenario has --axis ${asked.join(' --axis ')} (known: ${known.join(' ') || 'none, the scenarios have no axes'})`;
}

/** The trace's interleaving replayed on `kernel`: each step as far as that release can take it. */
function replayedOn(bad: Row, job: Job, first: KernelProfile, kernel: KernelProfile): Comparison | null {
  const s = job.scenarios.find((x) => x.scenario.id === bad.scenario);
  const d = bad.trace === null ? null : decodeToken(bad.trace.token);
  if (s === undefined || d === null || 'ok' in d || bad.trace === null) return null;
  const { program } = s.scenario;
  const run = runSteps(program, kernel, instantiate(program, kernel.policies), d.transitions, INVARIANTS);
  return {
    a: { kernel: bad.kernel, release: first.release, names: first.names, steps: bad.trace.steps },
    b: { kernel: kernel.name, release: kernel.release, names: kernel.names, steps: run.steps },
    notEnabledAt: run.notEnabledAt,
  };
}

/**
 * `pinlab explain [FILES...] --kernel A[,B] [--condition NAME] [--axis K=V] [--format json] [--out TRACE.json]`:
 * the shortest trace of the first bad outcome (of NAME, in the scenarios with those axis values; no
 * FILES: in the built-in library) on A,
 * step by step; with B, the same interleaving replayed on B beside it, the first differing step marked.
 * `--out` also writes that scenario's results as a trace file for `pinlab view`.
 */
export function explainCommand(args: readonly string[], io: Io): number {
  const prepared = prepare(args, io, 'explain', EXPLAIN_SPEC);
  if (typeof prepared === 'number') return prepared;
  const p = parseArgs(args, EXPLAIN_SPEC);
  const condition = isArgsError(p) ? undefined : p.values.get('condition')?.at(-1);
  const axes = isArgsError(p) ? [] : (p.values.get('axis') ?? []);
  const fail = (m: string): number => {
    io.err(`pinlab explain: ${m}\n`);
    return 2;
  };
  if (!['text', 'json', 'itf'].includes(prepared.format)) return fail('explain writes text, json or itf');
  const filtered = withAxes(prepared, axes);
  if (typeof filtered === 'string') return fail(filtered);
  const names = new Set(filtered.scenarios.flatMap((s) => s.scenario.conditions.map((c) => c.name)));
  if (condition !== undefined && !names.has(condition) && !INVARIANTS.some((i) => i.name === condition))
    return fail(`no condition or invariant '${condition.slice(0, 40)}' (known: ${[...names].join(' ')})`);
  // --kernel names A, or A and B to compare; without it the first bad outcome on any release. More
  // releases only with --out, whose trace file holds each release's results for the viewer.
  const given = isArgsError(p) ? undefined : p.values.get('kernel');
  if (given !== undefined && filtered.kernels.length > 2 && prepared.out === undefined)
    return fail(`give one release, or two to compare (--kernel A[,B]), not ${filtered.kernels.length}`);
  const [first, second] = filtered.kernels.length === 2 ? filtered.kernels : [];
  // In this thread: the workers of --jobs would load every scenario.
  const job: Job = { ...filtered, jobs: 1 };
  // 130 after a Ctrl-C, as check: what was found is printed, but the search was cut short.
  const done = (): number => (interrupted(job.watch) ? 130 : 0);
  const rows = runWithProgress(job, io).filter((r) => condition === undefined || r.condition === condition);
  // With two releases, the trace is A's (B replays it); `--out` keeps both releases' results.
  const bad = rows.find(
    (r) => r.trace !== null && r.verdict !== 'never' && (first === undefined || r.kernel === first.name),
  );
  if (!bad?.trace) {
    if (job.format === 'itf') io.err('pinlab explain: no trace: nothing to write as ITF\n');
    else if (job.format === 'json') io.out(jsonDocument('explain', { explain: null }));
    else io.out('no condition holds and no invariant is violated: nothing to explain\n');
    if (job.out !== undefined) io.err(`pinlab explain: no trace to write; ${job.out} not written\n`);
    return done();
  }
  const token = bad.replay ?? bad.trace.token;
  const compared = first && second ? replayedOn(bad, job, first, second) : null;
  if (job.format === 'itf') io.out(`${JSON.stringify(itfTrace(bad), null, 2)}\n`);
  else if (job.format === 'json') {
    const explain = {
      result: jsonResult(bad, job.timings),
      compare: compared === null ? null : comparisonJson(compared),
    };
    io.out(jsonDocument('explain', { explain }));
  } else {
    io.out(`${bad.scenario} on ${bad.kernel}: ${bad.condition} is ${bad.verdict}\n`);
    io.out(textTrace({ ...bad.trace, token }, job.files.get(bad.scenario)));
    if (compared !== null)
      io.out(`\nthe same interleaving on ${compared.b.kernel}:\n${comparisonText(compared)}`);
  }
  if (job.out === undefined) return done();
  const problem = writeOutput(
    job.out,
    jsonReport(
      rows.filter((r) => r.scenario === bad.scenario),
      job.timings,
    ),
    job.work.files,
  );
  if (problem !== null) {
    io.err(`pinlab explain: ${problem}\n`);
    return 2;
  }
  io.err(`pinlab explain: wrote ${job.out} (pinlab view ${job.out})\n`);
  return done();
}
