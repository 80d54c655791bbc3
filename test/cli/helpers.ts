import { run } from '../../src/cli/run.js';

/**
 * `pinlab ARGS` in this process: its exit status and what it printed. The clock stands still, so no
 * progress line appears however long a busy machine takes (progress has tests of its own).
 */
export function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io = { version: '0.0.0-test', out: (s: string) => (out += s), err: (s: string) => (err += s) };
  const code = run(argv, { ...io, now: () => 0 });
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
