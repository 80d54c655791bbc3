import type { Row } from '../suite/run.js';
import { finalStatesJson } from './final-states.js';
import {
  fileStep,
  SCHEMA_VERSION,
  type Interrupted,
  type TraceFile,
  type TraceResult,
} from './trace-file.js';

/** One row as the trace file holds it (without `timings`, no wall time). */
export function jsonResult(r: Row, timings: boolean): TraceResult {
  const t = r.trace;
  return {
    scenario: r.scenario,
    kernel: r.kernel,
    condition: r.condition,
    kind: r.kind,
    quantifier: r.quantifier,
    verdict: r.verdict,
    expected: r.expected,
    ok: r.ok,
    states: r.states,
    transitions: r.transitions,
    witnesses: r.witnesses,
    failed: r.failed,
    deadlock: r.deadlock,
    ms: timings ? r.ms : null,
    bound: r.bound,
    reason: r.reason,
    trace: t ? t.steps.map(fileStep) : null,
    end: t ? t.end : null,
    actors: t ? t.actors : null,
    initial: t ? t.initial : null,
    replay: r.replay,
  };
}

/**
 * `--format json` and `explain --out`: the trace file (trace-file.ts), one result per row; without
 * `timings` no wall time (`ms` null), so the file depends on nothing but the run.
 */
export function jsonReport(
  rows: readonly Row[],
  timings = true,
  states = false,
  interrupted?: Interrupted,
): string {
  const file: TraceFile = {
    pinlab: 1,
    schemaVersion: SCHEMA_VERSION,
    results: rows.map((r) => jsonResult(r, timings)),
    ...(states ? { finalStates: finalStatesJson(rows) } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
