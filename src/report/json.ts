import type { Row } from '../suite/run.js';
import { fileStep, type TraceFile, type TraceResult } from './trace-file.js';

function result(r: Row): TraceResult {
  const t = r.trace;
  return {
    scenario: r.scenario,
    kernel: r.kernel,
    condition: r.condition,
    kind: r.kind,
    verdict: r.verdict,
    expected: r.expected,
    ok: r.ok,
    states: r.states,
    transitions: r.transitions,
    ms: r.ms,
    bound: r.bound,
    reason: r.reason,
    trace: t ? t.steps.map(fileStep) : null,
    end: t ? t.end : null,
    actors: t ? t.actors : null,
    initial: t ? t.initial : null,
    replay: r.replay,
  };
}

/** `--format json` and `explain --out`: the trace file (trace-file.ts), one result per row. */
export function jsonReport(rows: readonly Row[]): string {
  const file: TraceFile = { pinlab: 1, results: rows.map(result) };
  return `${JSON.stringify(file, null, 2)}\n`;
}
