import type { Row } from '../suite/run.js';

/** `--format json`: one object, one entry per (scenario, kernel, condition). */
export function jsonReport(rows: readonly Row[]): string {
  const results = rows.map((r) => ({
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
    trace: r.trace ? r.trace.steps : null,
    replay: r.replay,
  }));
  return `${JSON.stringify({ pinlab: 1, results }, null, 2)}\n`;
}
