import { run } from '../../src/cli/run.js';

/** `pinlab ARGS` in this process: its exit status and what it printed. */
export function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(argv, { version: '0.0.0-test', out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** A scenario for the CLI's tests: two threads write the same private page; either may win. */
export const RACE = `scenario race
intent: Two threads write the same private page; the last write wins.
source: a test of the CLI

process P
  map buf anon private

thread A in P
  write buf "A"
thread B in P
  write buf "B"

exists (P:buf == "A") as a-wins
expect a-wins: sometimes on all
`;
