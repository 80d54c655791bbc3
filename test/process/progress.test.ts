import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The built CLI with stdout and stderr piped: not a terminal, as in CI. */
function pinlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8' });
}

describe('pinlab check progress in a pipe', () => {
  // --progress-every makes the lines a count of states, not of seconds: the test does not depend on timing.
  const args = [
    'check',
    'bench/gup-fork.pin',
    '--kernel',
    'v6.5',
    '--max-states',
    '3000',
    '--progress-every',
    '1000',
  ];

  it('prints a progress line per 1000 states on stderr, then the statistics of the stopped search', () => {
    const r = pinlab(...args);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.replace(/, [\d,]+ transitions.*/, ''))).toEqual([
      'pinlab: [1/1] gup-fork on v6.5: 1,000 states',
      'pinlab: [1/1] gup-fork on v6.5: 2,000 states',
      'pinlab: [1/1] gup-fork on v6.5: 3,000 states',
    ]);
    expect(lines[0]).toMatch(/ states\/s, depth \d+, table \d+ MiB, \d+\.\d s$/);
    expect(lines.at(-1)).toMatch(
      /^pinlab: partial: gup-fork on v6\.5: the search met its states bound after 3,000 states/,
    );
    expect(r.stdout).toContain('inconclusive');
    expect(r.stdout).toContain('(partial: a bound stopped 1 of the searches)');
  });

  it('writes JSON lines under --progress=json and nothing under --quiet', () => {
    const json = pinlab(...args, '--progress=json');
    const objects = json.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.states)).toEqual([1000, 2000, 3000, 3000]);
    expect(objects.at(-1)).toMatchObject({ partial: 1, bound: 'states' });
    expect(pinlab(...args, '--quiet').stderr).toBe('');
  });
});

/**
 * The built CLI with stderr piped, sent SIGINT once `lines` progress lines have arrived. The search
 * runs in a worker thread: lines written through a stream there would wait for the search to end, so
 * the signal would come after the exit (status 0 or 1); lines that really reach the pipe while it runs
 * are answered by 130. Counts lines, never time.
 */
function interruptAfterLines(
  lines: number,
  ...args: string[]
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['dist/cli/main.js', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.split('\n').length > lines) {
        sent = true;
        p.kill('SIGINT');
      }
    });
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('progress reaches a pipe while the search runs', () => {
  for (const extra of [[], ['--jobs', '2']])
    it(`three lines before the run ends ${extra.join(' ')}`, async () => {
      const r = await interruptAfterLines(
        3,
        'check',
        'bench/gup-fork.pin',
        '--kernel',
        'all',
        '--progress-every',
        '1000',
        ...extra,
      );
      expect(r.code).toBe(130);
      const progress = r.stderr.split('\n').filter((l) => /^pinlab: \[\d+\/\d+\] gup-fork on /.test(l));
      expect(progress.length).toBeGreaterThanOrEqual(3);
    });
});
