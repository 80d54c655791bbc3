import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI, sent SIGINT once its first progress line is out: waits for output, never for time. */
function interruptAfterFirstLine(...args: string[]): Promise<Ended> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['dist/cli/main.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      const first = !stderr.includes('\n');
      stderr += d.toString();
      if (first && stderr.includes('\n')) p.kill('SIGINT');
    });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function pinlab(...args: string[]): Ended {
  const r = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Every release: even a machine fast enough to finish one search before the signal meets the others.
const BIG = ['check', 'bench/gup-fork.pin', '--kernel', 'all', '--progress-every', '1000'];

describe('Ctrl-C on a running check', () => {
  for (const extra of [[], ['--threads', '2'], ['--jobs', '2']])
    it(`prints the statistics and the partial verdicts, exit 130 ${extra.join(' ')}`, async () => {
      const r = await interruptAfterFirstLine(...BIG, ...extra);
      const jobs = extra[0] === '--jobs' ? 2 : 1;
      expect(r.code).toBe(130);
      // --jobs: the first line is of whichever worker reached 1000 states first.
      const first =
        jobs === 1
          ? /^pinlab: \[1\/\d+\] gup-fork on v4\.19: [\d,]+ states, /
          : /^pinlab: \[[12]\/\d+\] gup-fork on \S+: [\d,]+ states, /;
      expect(r.stderr).toMatch(first);
      // The search under way stops (one only misses it if the signal fell between two searches).
      const partial = r.stderr.split('\n').filter((l) => l.startsWith('pinlab: partial: '));
      for (const l of partial)
        expect(l).toMatch(
          /^pinlab: partial: gup-fork on \S+: the search was interrupted \(Ctrl-C\) after [\d,]+ states, [\d,]+ transitions, depth \d+, table [\d,]+ bytes, \d+\.\d s$/,
        );
      expect(partial.length).toBeLessThanOrEqual(jobs);
      expect(r.stderr).toMatch(
        /\npinlab: interrupted: \d+ of \d+ \(scenario, release\) searches run; the verdicts are partial\n$/,
      );
      expect(r.stdout).toMatch(/^gup-fork {2}\([\d,]+ states, \d+\.\d s\)\n {2}parent-lost +/);
      // The tests of the searches the Ctrl-C left out count as skipped, as in KTAP and JUnit.
      const stopped =
        partial.length > 0 ? `partial: a bound stopped ${partial.length} of the searches; ` : '';
      expect(r.stdout).toMatch(new RegExp(`skipped \\(${stopped}\\d+ not run: interrupted\\)\n$`));
    });
});

describe('--max-memory on the worker paths', () => {
  for (const extra of [
    ['--jobs', '2'],
    ['--threads', '2'],
  ])
    it(`ends in inconclusive (bound: memory) with the figures ${extra.join(' ')}`, () => {
      const r = pinlab(
        'check',
        'bench/gup-fork.pin',
        '--kernel',
        'v6.4,v6.5',
        '--max-memory',
        '1M',
        ...extra,
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('(bound reached: memory, 0 states)');
      expect(r.stdout).toMatch(/\(partial: a bound stopped 2 of the searches\)\n$/);
      for (const k of ['v6.4', 'v6.5'])
        expect(r.stderr).toContain(
          `pinlab: partial: gup-fork on ${k}: the search met its memory bound (--max-memory 1,048,576 bytes) after 0 states`,
        );
    });
});
