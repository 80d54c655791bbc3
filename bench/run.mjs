// pinlab's benchmark against SPIN (`npm run bench`; `node bench/run.mjs --small` for a run of seconds;
// `--large` for the storage runs alone: the fingerprint table filled past 100 M states (half a minute),
// then the checker past 100 M states in one thread per core: some 40 minutes on 2 idle cores).
// Runs SPIN (pan built with gcc -O2) and pinlab on the same system (gup_fork.pml / gup-fork.pin) and
// the same configurations, one after the other (never two at once: the machine is shared), then
// times `dio-read-fork` on v6.4 and `pinlab check` over the built-in library, and writes
// bench/results.json and bench/results.md (or into --out DIR).
// Exit status: 0 done (whether or not the tools agree: the table says), 2 usage, 3 spin unavailable.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

function usage(msg) {
  console.error(`bench: ${msg}\nusage: node bench/run.mjs [--small | --large] [--out DIR]`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { small: process.env.PINLAB_BENCH_SMALL === '1', out: here };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--small') o.small = true;
    else if (argv[i] === '--large') o.large = true;
    else if (argv[i] === '--out') o.out = argv[++i] ?? usage('--out needs a directory');
    else usage(`unknown argument '${argv[i]}'`);
  }
  return o;
}

/**
 * The configurations: SPIN's -D values and the pinlab kernel with the same behaviour. FOLL_GET with
 * mapcount COW reuse is v5.4; FOLL_PIN DIO with PageAnonExclusive reuse and fork copying
 * maybe-pinned pages is v6.5.
 */
function configs(small) {
  const nspec = small ? 1 : 3;
  return [
    { name: `PIN NSPEC=${nspec}`, usePin: 1, nspec, kernel: 'v6.5' },
    { name: `GET NSPEC=${nspec}`, usePin: 0, nspec, kernel: 'v5.4' },
  ];
}

/**
 * The storage run: NSPEC=6 has about 120 M states (each S thread multiplies them by about 8); stopped
 * just past 100 M stored states, with room for the tables (at most 16 bytes a state).
 */
const LARGE = {
  name: 'PIN NSPEC=6',
  nspec: 6,
  kernel: 'v6.5',
  maxStates: 100_000_001,
  maxMemory: 2 ** 32,
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function haveSpin() {
  const r = spawnSync('spin', ['-V'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Install spin with apt when it is missing and we are root; null when it is there, else why not. */
function ensureSpin() {
  if (haveSpin()) return null;
  if (process.getuid?.() !== 0)
    return 'spin is not installed and installing it needs root (apt-get install spin)';
  const r = spawnSync('apt-get', ['install', '-y', 'spin'], { encoding: 'utf8' });
  if (r.error || r.status !== 0 || !haveSpin())
    return `apt-get install -y spin failed: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').pop()}`;
  return null;
}

/** The figures of a pan run, from its own report. */
function parsePan(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : null;
  };
  return {
    states: num(/(\d+) states, stored/),
    transitions: num(/(\d+) transitions \(= stored\+matched\)/),
    seconds: num(/pan: elapsed time ([\d.e+]+) seconds/),
    memoryMB: num(/([\d.]+)\s+total actual memory usage/),
    errors: num(/errors: (\d+)/),
    assertion: /assertion violated/.test(out),
    depth: num(/depth reached (\d+)/),
  };
}

function peakRssOf(timeOut) {
  const m = /^PEAK_KB (\d+)$/m.exec(timeOut);
  return m ? Number(m[1]) * 1024 : null;
}

function runSpin(cfg, work) {
  const pml = join(work, 'gup_fork.pml');
  writeFileSync(pml, readFileSync(join(here, 'gup_fork.pml')));
  const defs = [`-DNSPEC=${cfg.nspec}`, `-DUSE_PIN=${cfg.usePin}`];
  const a = run('spin', [...defs, '-a', 'gup_fork.pml'], { cwd: work });
  if (a.status !== 0) throw new Error(`spin -a failed:\n${a.stdout}${a.stderr}`);
  const g = run('gcc', ['-O2', '-DNOREDUCE', '-DMEMLIM=16384', '-o', 'pan', 'pan.c'], { cwd: work });
  if (g.status !== 0) throw new Error(`gcc failed:\n${g.stderr}`);
  // -m: a DFS stack deep enough for the model; the first assertion violation stops the search.
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const p = timed
    ? run('/usr/bin/time', ['-f', 'PEAK_KB %M', './pan', '-m100000'], { cwd: work })
    : run('./pan', ['-m100000'], { cwd: work });
  const wall = (performance.now() - t0) / 1000;
  const f = parsePan(p.stdout);
  if (f.states === null || f.transitions === null) throw new Error(`cannot read pan's output:\n${p.stdout}`);
  const peak = timed ? peakRssOf(p.stderr) : null;
  return {
    tool: 'spin',
    config: cfg.name,
    states: f.states,
    transitions: f.transitions,
    // pan prints whole seconds for short runs: then our wall clock around it.
    seconds: f.seconds !== null && f.seconds >= 1 ? f.seconds : wall,
    peakRss: peak ?? (f.memoryMB === null ? null : Math.round(f.memoryMB * 2 ** 20)),
    lostDioData: f.assertion,
    verdict: f.assertion ? 'violated' : 'holds',
  };
}

/** gup-fork.pin with `nspec` speculative-reference threads: its first ones, or copies of S0 beyond S2. */
function pinText(nspec) {
  const text = readFileSync(join(here, 'gup-fork.pin'), 'utf8');
  const block = /^thread S0 in P\n(?: {2}.*\n)*\n?/m.exec(text)?.[0] ?? '';
  const kept = text.replace(/^thread S(\d+) in P\n(?: {2}.*\n)*\n?/gm, (b, n) =>
    Number(n) < nspec ? b : '',
  );
  const extra = Array.from({ length: Math.max(0, nspec - 3) }, (_, i) => block.replace('S0', `S${i + 3}`));
  return kept.replace(/^# The second read returned/m, (m) => extra.join('') + m);
}

function node(job) {
  // A job with progress passes its progress lines through to our stderr as they come.
  const stdio = job.progress ? ['ignore', 'pipe', 'inherit'] : 'pipe';
  const r = run(process.execPath, [join(here, 'measure.mjs'), JSON.stringify(job)], { cwd: root, stdio });
  if (r.status !== 0) throw new Error(`pinlab measurement failed:\n${r.stderr ?? ''}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function runPinlab(cfg, threads = 1) {
  const m = node({
    kind: 'explore',
    pin: pinText(cfg.nspec),
    kernel: cfg.kernel,
    threads,
    ...(cfg.maxStates ? { maxStates: cfg.maxStates, maxMemory: cfg.maxMemory, progress: true } : {}),
  });
  const lost = m.verdicts['lost-dio-data'] === 'sometimes' || m.verdicts['lost-dio-data'] === 'always';
  return {
    tool: 'pinlab',
    config: cfg.name,
    threads,
    kernel: cfg.kernel,
    states: m.states,
    transitions: m.transitions,
    seconds: m.ms / 1000,
    peakRss: m.peakRss,
    tableBytes: m.tableBytes,
    lostDioData: lost,
    verdict: lost ? 'violated' : 'holds',
    verdicts: m.verdicts,
    bound: m.bound,
  };
}

/** pinlab in one thread, and in as many as the machine has cores (SPIN's best was one core). */
function pinlabThreads() {
  return cpus().length > 1 ? [1, cpus().length] : [1];
}

function rate(n, s) {
  return s > 0 && n !== null ? n / s : null;
}

function ratio(a, b) {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

/** Fresh processes timing the dio-read-fork check (one figure is noise on a shared machine). */
const DIO_RUNS = 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}

/** dio-read-fork on v6.4 in DIO_RUNS fresh processes: the medians, and every fresh figure. */
function dioReadForkRuns() {
  const job = { kind: 'check', file: 'scenarios/dio-read-fork.pin', kernel: 'v6.4', instance: 0 };
  const runs = Array.from({ length: DIO_RUNS }, () => node(job));
  const freshMs = runs.map((r) => r.ms);
  return { ...runs[0], ms: median(freshMs), warmMs: median(runs.map((r) => r.warmMs)), freshMs };
}

function libraryWall() {
  const t0 = performance.now();
  const r = run(process.execPath, [join(root, 'dist/cli/main.js'), 'check', '--format', 'json'], {
    cwd: root,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, exitStatus: r.status, rows: JSON.parse(r.stdout).results.length };
}

const fmt = (x, d = 0) =>
  x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d });

/** A run's tool as the table names it: SPIN, pinlab, or pinlab in N threads. */
function toolName(r) {
  return r.tool === 'pinlab' && r.threads > 1 ? `pinlab, ${r.threads} threads` : r.tool;
}

function markdown(res) {
  const lines = [
    `# pinlab vs SPIN ${res.spin.version}`,
    '',
    `${res.small ? 'Small configuration (`--small`). ' : ''}Node ${res.node}, ${res.cpus} CPUs, run ${res.date}.`,
    'SPIN: `spin -DNSPEC=n -DUSE_PIN=p -a`, `gcc -O2 -DNOREDUCE`, `pan -m100000` (stops at the first',
    'assertion violation, so the FOLL_GET rows count different amounts of work). pinlab: `check`',
    'without traces or reduction, one process per run, in one thread and in one per core (`--threads`:',
    'shared fingerprint tables, no reduction); the two state spaces are of different models: pinlab cuts',
    'a step where the kernel can interleave, so it stores fewer, larger states for the same system.',
    '"SPIN s / pinlab s" compares the time each took to search the whole system (the FOLL_PIN rows).',
    '',
    '| configuration | tool | kernel | verdict | states | transitions | s | states/s | transitions/s | peak RSS MB |',
    '| --- | --- | --- | --- | --: | --: | --: | --: | --: | --: |',
  ];
  for (const r of res.runs)
    lines.push(
      `| ${r.config} | ${toolName(r)} | ${r.kernel ?? '–'} | ${r.verdict} | ${fmt(r.states)} | ${fmt(r.transitions)} | ${fmt(r.seconds, 2)} | ${fmt(rate(r.states, r.seconds))} | ${fmt(rate(r.transitions, r.seconds))} | ${fmt(r.peakRss / 2 ** 20)} |`,
    );
  lines.push(
    '',
    '| configuration | pinlab threads | agree | pinlab/SPIN states/s | pinlab/SPIN transitions/s | pinlab/SPIN peak RSS | SPIN s / pinlab s |',
  );
  lines.push('| --- | --: | --- | --: | --: | --: | --: |');
  for (const c of res.comparisons)
    lines.push(
      `| ${c.config} | ${c.threads} | ${c.agree ? 'yes' : 'NO'} | ${fmt(c.statesPerSecond, 4)} | ${fmt(c.transitionsPerSecond, 4)} | ${fmt(c.peakRss, 3)} | ${fmt(c.sooner, 2)} |`,
    );
  lines.push('');
  for (const r of res.runs.filter((x) => x.tool === 'pinlab' && x.threads === 1))
    lines.push(
      `- pinlab ${r.config}: the search's fingerprint tables hold ${fmt(r.states)} states in ` +
        `${fmt(r.tableBytes / 2 ** 20, 1)} MiB, ${fmt(r.tableBytes / r.states, 1)} bytes per stored state.`,
    );
  lines.push(
    `- \`dio-read-fork\` (${res.dioReadFork.id}) on v6.4, a full check with the shortest counterexample ` +
      `(${res.dioReadFork.steps} steps): ${fmt(res.dioReadFork.ms, 1)} ms in a fresh process ` +
      `(the median of ${res.dioReadFork.freshMs.length}: ${res.dioReadFork.freshMs.map((x) => fmt(x, 1)).join(', ')}), ` +
      `${fmt(res.dioReadFork.warmMs, 1)} ms warm (${fmt(res.dioReadFork.states)} states).`,
    `- \`pinlab check\` over the built-in library on every release: ${fmt(res.library.seconds, 2)} s ` +
      `wall (${res.library.rows} rows, exit status ${res.library.exitStatus}).`,
    '',
  );
  return lines.join('\n');
}

function largeMarkdown(res) {
  const t = res.table;
  const lines = [
    '# pinlab storage runs',
    '',
    `Node ${res.node}, ${res.cpus} CPUs, run ${res.date}, \`node bench/run.mjs --large\`.`,
    '',
    `The fingerprint table alone (bench/table.mjs), filled with ${fmt(t.states)} distinct 64-bit keys:`,
    `${fmt(t.bytes / 2 ** 20)} MiB, ${fmt(t.bytes / t.states, 2)} bytes per stored state, ${fmt(t.ms / 1000, 1)} s,`,
    `${t.lost === 0 ? 'none' : fmt(t.lost)} of the keys sampled (every 997th) lost, peak RSS ${fmt(t.peakRss / 2 ** 20)} MB`,
    '(the old and the new array side by side while it grows).',
    '',
  ];
  const r = res.run;
  if (!r) return [...lines, 'The checker run had not finished when this file was written.', ''].join('\n');
  return [
    ...lines,
    `The checker: gup-fork.pin with ${LARGE.nspec} speculative-reference threads on ${r.kernel}, in ${r.threads} thread(s),`,
    `without traces or reduction, stopped at ${fmt(LARGE.maxStates)} stored states (bound: ${r.bound ?? 'none'}).`,
    '',
    '| states | transitions | s | states/s | fingerprint tables MiB | bytes per stored state | peak RSS MB |',
    '| --: | --: | --: | --: | --: | --: | --: |',
    `| ${fmt(r.states)} | ${fmt(r.transitions)} | ${fmt(r.seconds, 0)} | ${fmt(rate(r.states, r.seconds))} | ` +
      `${fmt(r.tableBytes / 2 ** 20, 0)} | ${fmt(r.tableBytes / r.states, 2)} | ${fmt(r.peakRss / 2 ** 20)} |`,
    '',
  ].join('\n');
}

function mainLarge(opts) {
  const res = { date: new Date().toISOString(), node: process.version, cpus: cpus().length };
  const write = () => {
    writeFileSync(join(opts.out, 'results-large.json'), JSON.stringify(res, null, 2) + '\n');
    writeFileSync(join(opts.out, 'results-large.md'), largeMarkdown(res));
  };
  console.error(`bench: the fingerprint table alone, to ${fmt(LARGE.maxStates)} states ...`);
  const t = run(process.execPath, [join(here, 'table.mjs'), String(LARGE.maxStates)], { cwd: root });
  if (t.status !== 0) throw new Error(`bench/table.mjs failed:\n${t.stderr}`);
  res.table = JSON.parse(t.stdout.trim().split('\n').pop());
  write();
  console.error(`bench: pinlab ${LARGE.name} on ${LARGE.kernel}, to ${fmt(LARGE.maxStates)} states ...`);
  res.run = runPinlab(LARGE, pinlabThreads().at(-1));
  write();
  console.log(largeMarkdown(res));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, 'dist/check/index.js'))) usage('dist/ is missing: run `npm run build` first');
  mkdirSync(opts.out, { recursive: true });
  if (opts.large) return mainLarge(opts);
  const why = ensureSpin();
  if (why !== null) {
    console.error(`bench: spin unavailable: ${why}`);
    process.exit(3);
  }
  const version = /Spin Version ([\d.]+)/.exec(run('spin', ['-V']).stdout)?.[1] ?? 'unknown';
  const runs = [];
  const comparisons = [];
  for (const cfg of configs(opts.small)) {
    const work = mkdtempSync(join(tmpdir(), 'pinlab-bench-'));
    try {
      console.error(`bench: SPIN ${cfg.name} ...`);
      const s = runSpin(cfg, work);
      runs.push(s);
      for (const threads of pinlabThreads()) {
        console.error(`bench: pinlab ${cfg.name} on ${cfg.kernel}, ${threads} thread(s) ...`);
        const p = runPinlab(cfg, threads);
        runs.push(p);
        // SPIN stops at the first assertion violation: its rate over that prefix compares with nothing.
        const comparable = !s.lostDioData;
        comparisons.push({
          config: cfg.name,
          threads,
          agree: s.lostDioData === p.lostDioData,
          comparable,
          statesPerSecond: comparable ? ratio(rate(p.states, p.seconds), rate(s.states, s.seconds)) : null,
          transitionsPerSecond: comparable
            ? ratio(rate(p.transitions, p.seconds), rate(s.transitions, s.seconds))
            : null,
          peakRss: s.peakRss ? p.peakRss / s.peakRss : null,
          // Both searched the whole system: how many times sooner pinlab had the answer.
          sooner: comparable ? ratio(s.seconds, p.seconds) : null,
        });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  console.error(`bench: dio-read-fork on v6.4, ${DIO_RUNS} fresh processes ...`);
  const dioReadFork = dioReadForkRuns();
  console.error('bench: pinlab check over the library ...');
  const library = libraryWall();
  const res = {
    date: new Date().toISOString(),
    small: opts.small,
    node: process.version,
    cpus: cpus().length,
    spin: { version },
    runs,
    comparisons,
    dioReadFork,
    library,
  };
  writeFileSync(join(opts.out, 'results.json'), JSON.stringify(res, null, 2) + '\n');
  writeFileSync(join(opts.out, 'results.md'), markdown(res));
  console.log(markdown(res));
}

main();
