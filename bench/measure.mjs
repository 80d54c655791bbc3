// One pinlab measurement in its own process (so its peak RSS is its own): run.mjs starts it with a
// JSON job on argv and reads one JSON line from stdout.
//   {"kind":"explore","pin":"<scenario text>","kernel":"v6.5","maxStates":N,"maxMemory":BYTES,"progress":true,"threads":T}
//     every instance of the scenario, checked without traces and without reduction (SPIN's
//     -DNOREDUCE), summed: states, transitions, ms, verdicts; with progress, a JSON line on stderr
//     every million states or so; with threads > 1, each search in that many threads.
//   {"kind":"check","file":"scenarios/dio-read-fork.pin","kernel":"v6.4","instance":0}
//     a full check (traces on) of one instance: ms (first run, then warm), and the shortest
//     counterexample's length.
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { readFileSync } from 'node:fs';
import { check } from '../dist/check/index.js';
import { threadedExplorer } from '../dist/runtime/threads.js';
import { kernelProfile } from '../dist/model/profile/profiles.js';
import { parseScenarios } from '../dist/scenario/index.js';

function peakRssBytes() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

function scenarios(text, file) {
  const r = parseScenarios(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`).join('\n'));
  return r.scenarios;
}

function verdicts(res) {
  const out = {};
  for (const c of res.conditions) out[c.name] = c.verdict;
  for (const i of res.invariants) if (i.verdict !== 'never') out[i.name] = i.verdict;
  return out;
}

const job = JSON.parse(process.argv[2]);
const profile = kernelProfile(job.kernel);
if (job.kind === 'explore') {
  let states = 0;
  let transitions = 0;
  let tableBytes = 0;
  let bound = null;
  const out = {};
  const t0 = performance.now();
  for (const s of scenarios(job.pin, 'gup-fork.pin')) {
    const res = check(s.scenario.program, s.scenario.conditions, profile, {
      por: false,
      traces: false,
      ...(job.maxStates ? { maxStates: job.maxStates } : {}),
      ...(job.maxMemory ? { maxMemory: job.maxMemory } : {}),
      ...(job.threads > 1 ? { explorer: threadedExplorer(job.threads) } : {}),
      // A long run says how far it has gone on stderr (stdout carries the one result line).
      ...(job.progress ? { onProgress: (p) => console.error(JSON.stringify({ progress: p })) } : {}),
    });
    states += res.states;
    tableBytes += res.tableBytes;
    transitions += res.transitions;
    bound ??= res.bound;
    Object.assign(out, verdicts(res));
  }
  const ms = performance.now() - t0;
  console.log(
    JSON.stringify({ states, transitions, tableBytes, ms, bound, verdicts: out, peakRss: peakRssBytes() }),
  );
} else {
  const s = scenarios(readFileSync(job.file, 'utf8'), job.file)[job.instance];
  const t0 = performance.now();
  const res = check(s.scenario.program, s.scenario.conditions, profile);
  const ms = performance.now() - t0;
  // Once more in the same process: the figure without the JIT's warm-up.
  const t1 = performance.now();
  check(s.scenario.program, s.scenario.conditions, profile);
  const warmMs = performance.now() - t1;
  const trace = res.conditions.find((c) => c.trace)?.trace ?? null;
  console.log(
    JSON.stringify({
      id: s.scenario.id,
      ms,
      warmMs,
      states: res.states,
      steps: trace ? trace.steps.length : null,
      verdicts: verdicts(res),
      peakRss: peakRssBytes(),
    }),
  );
}
