import { expect } from 'vitest';
import { formatError, parseScenarios, type ParsedScenario } from '../../src/scenario/index.js';

/** Test-only: parse text that must parse, failing the test with the formatted errors otherwise. */
export function parseOk(text: string, file = 'test.pin'): ParsedScenario[] {
  const r = parseScenarios(text, file);
  if (!r.ok) expect.fail(r.errors.map(formatError).join('\n'));
  return [...r.scenarios];
}

/** Test-only: the formatted errors of text that must not parse. */
export function parseErrors(text: string, file = 'test.pin'): string[] {
  const r = parseScenarios(text, file);
  if (r.ok) expect.fail('expected errors, but the scenario parsed');
  return r.errors.map(formatError);
}

/** A minimal scenario: thread T0 in P (buffers buf, and fb on file f) runs `ops`; `extra` goes last. */
export function withOps(ops: string, extra = '', decls = ''): string {
  return `scenario t
intent: A test.
source: none
file f ext4 = "D"
process P
  map buf anon private
  map fb file f shared
${decls}
thread T0 in P
${ops
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
exists (P:buf == "X")
${extra}`;
}
