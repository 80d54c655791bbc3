import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

let tick = 0;

/** `pinlab check ARGS` in this process, with a clock that moves further at each run (times differ). */
function check(...args: string[]): string {
  tick += 1;
  const step = tick;
  let out = '';
  let t = 0;
  const code = run(['check', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4,v6.5', '--quiet', ...args], {
    version: 'test',
    out: (s) => (out += s),
    err: () => undefined,
    now: () => (t += step),
  });
  expect(code).toBe(0);
  return out;
}

describe('check --no-timings', () => {
  it.each(['json', 'junit'])(
    'writes %s that two runs give byte for byte, and with timings they differ',
    (f) => {
      expect(check('--format', f, '--no-timings')).toBe(check('--format', f, '--no-timings'));
      expect(check('--format', f)).not.toBe(check('--format', f));
    },
  );

  it('leaves the wall time out of JSON (ms null) and JUnit (no time attribute)', () => {
    const json = JSON.parse(check('--format', 'json', '--no-timings')) as { results: { ms: unknown }[] };
    expect(new Set(json.results.map((r) => r.ms))).toEqual(new Set([null]));
    expect(check('--format', 'junit', '--no-timings')).not.toContain('time=');
  });
});
