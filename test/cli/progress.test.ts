import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressMeter, type ProgressMode } from '../../src/cli/progress.js';
import { run } from '../../src/cli/run.js';
import { RACE } from './helpers.js';

/** A clock the test moves by hand: no test here depends on timing. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const P = { states: 3_145_728, transitions: 16_000_000, maxDepth: 41, tableBytes: 48 * 2 ** 20 };

function meter(mode: ProgressMode, everyCallback = false, columns?: number) {
  const clock = fakeClock();
  let err = '';
  const m = new ProgressMeter({
    mode,
    now: clock.now,
    write: (s) => (err += s),
    intervalMs: 5000,
    everyCallback,
    columns,
  });
  return { m, clock, text: () => err };
}

describe('ProgressMeter', () => {
  it('stays silent for the first second, then prints release, states, transitions, rate, depth, elapsed', () => {
    const { m, clock, text } = meter('lines');
    m.begin('[1/2]', 'gup-fork', 'v6.5');
    clock.advance(999);
    m.update(P);
    expect(text()).toBe('');
    clock.advance(1);
    m.update(P);
    expect(text()).toBe(
      'pinlab: [1/2] gup-fork on v6.5: 3,145,728 states, 16,000,000 transitions, 3,145,728 states/s, depth 41, table 48 MiB, 1.0 s\n',
    );
  });

  it('prints a plain line at most once an interval', () => {
    const { m, clock, text } = meter('lines');
    m.begin('[1/1]', 's', 'v6.5');
    clock.advance(1000);
    m.update(P);
    clock.advance(4999);
    m.update(P);
    expect(text().split('\n').length - 1).toBe(1);
    clock.advance(1);
    m.update(P);
    expect(text().split('\n').length - 1).toBe(2);
  });

  it('redraws a live line in place and clears it at the end', () => {
    const { m, clock, text } = meter('live');
    m.begin('[1/1]', 's', 'v6.5');
    clock.advance(2000);
    m.update(P);
    m.end();
    const [drawn, cleared] = text().split('\r').slice(1);
    expect(drawn?.startsWith('[1/1] s on v6.5: ')).toBe(true);
    expect(drawn?.endsWith(' 2.0 s\u001b[K')).toBe(true);
    expect(cleared).toBe('\u001b[K');
  });

  it('cuts a live line to the terminal, so that redrawing in place does not stack wrapped lines', () => {
    const { m, clock, text } = meter('live', false, 80);
    m.begin('[12/1134]', 'a-scenario-with-a-long-name[axis=value]', 'v6.12.y');
    clock.advance(2000);
    m.update(P);
    const drawn = text().split('\r')[1] ?? '';
    expect(drawn.endsWith('\u001b[K')).toBe(true);
    expect(drawn.length - '\u001b[K'.length).toBe(79);
    expect(drawn.startsWith('[12/1134] a-scenario-with-a-long-name[axis=value] on v6.12.y: ')).toBe(true);
    // Lines for a log are never cut.
    const lines = meter('lines', false, 80);
    lines.m.begin('[12/1134]', 'a-scenario-with-a-long-name[axis=value]', 'v6.12.y');
    lines.clock.advance(2000);
    lines.m.update(P);
    expect(lines.text()).toMatch(/, 2\.0 s\n$/);
  });

  it('writes JSON lines', () => {
    const { m, clock, text } = meter('json');
    m.begin('[1/1]', 's', 'v6.5');
    clock.advance(2000);
    m.update(P);
    expect(JSON.parse(text())).toEqual({
      progress: 1,
      scenario: 's',
      kernel: 'v6.5',
      states: P.states,
      transitions: P.transitions,
      statesPerSecond: P.states / 2,
      depth: 41,
      tableBytes: P.tableBytes,
      elapsedSeconds: 2,
    });
  });

  it('prints at every callback, whatever the clock, under --progress-every', () => {
    const { m, text } = meter('lines', true);
    m.begin('[1/1]', 's', 'v6.5');
    m.update(P);
    m.update(P);
    expect(text().split('\n').length - 1).toBe(2);
  });

  it('prints nothing when off', () => {
    const { m, clock, text } = meter('off', true);
    clock.advance(10_000);
    m.update(P);
    m.end();
    expect(text()).toBe('');
  });
});

function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-progress-'));
  const f = join(dir, 'race.pin');
  writeFileSync(f, RACE);
  const clock = fakeClock();
  const code = run(['check', f, '--kernel', 'v6.6', ...argv], {
    version: '0.0.0-test',
    out: (s) => (out += s),
    err: (s) => (err += s),
    now: clock.now,
  });
  return { code, out, err };
}

describe('pinlab check progress options', () => {
  it('prints a progress line on stderr off a terminal with --progress-every, stdout untouched', () => {
    const r = cli('--progress-every', '1');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^pinlab: \[1\/1\] race on v6\.6: 1 states, 0 transitions, /m);
    expect(r.out).not.toContain('pinlab:');
  });

  it('writes JSON lines under --progress=json', () => {
    const r = cli('--progress=json', '--progress-every', '1');
    const lines = r.err.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines)
      expect(JSON.parse(l)).toMatchObject({ progress: 1, scenario: 'race', kernel: 'v6.6' });
  });

  it('is silenced by --quiet', () => {
    expect(cli('--quiet', '--progress-every', '1').err).toBe('');
  });

  it('refuses an unknown progress mode and a bad count with exit 2', () => {
    expect(cli('--progress=loud')).toMatchObject({
      code: 2,
      err: "pinlab check: unknown progress 'loud' (known: auto lines json)\n",
    });
    expect(cli('--progress-every', '0').code).toBe(2);
  });
});
