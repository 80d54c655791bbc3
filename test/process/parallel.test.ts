import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALONE_STATES } from '../../src/runtime/threads.js';
import { gupForkTwoSpec } from '../check/programs.js';

/** The built CLI (the worker threads run compiled code). */
function pinlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** A JSON report with its wall times zeroed (the only field that may differ between runs). */
function withoutTimes(json: string): string {
  return JSON.stringify(JSON.parse(json), (k, v: unknown) => (k === 'ms' ? 0 : v));
}

describe('pinlab check --jobs', () => {
  const files = [
    'scenarios/dio-read-fork.pin',
    'scenarios/longterm-pin-fork.pin',
    'scenarios/vmsplice-child-unmap.pin',
  ];

  it('reports what one thread reports, in the same order', () => {
    expect(existsSync('dist/cli/suite-worker.js')).toBe(true); // else --jobs runs in one thread
    const one = pinlab('check', ...files, '--kernel', 'v5.4,v6.1,v6.6', '--format', 'json', '--jobs', '1');
    const three = pinlab('check', ...files, '--kernel', 'v5.4,v6.1,v6.6', '--format', 'json', '--jobs', '3');
    expect(one.status).toBe(0);
    expect(three.status).toBe(0);
    expect(withoutTimes(three.stdout)).toBe(withoutTimes(one.stdout));
    expect((JSON.parse(three.stdout) as { results: unknown[] }).results.length).toBeGreaterThan(20);
  });

  it('writes the same bytes as one thread with --no-timings, run after run', () => {
    const args = ['check', ...files, '--kernel', 'v5.4,v6.6', '--format', 'json', '--no-timings', '--quiet'];
    const one = pinlab(...args, '--jobs', '1');
    const two = pinlab(...args, '--jobs', '2');
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(pinlab(...args, '--jobs', '2').stdout).toBe(two.stdout);
  });

  it('keeps the exit status of a failed expectation', () => {
    const r = pinlab('check', ...files, '--kernel', 'v6.6', '--set', 'dio.extract=get', '--jobs', '2');
    expect(r.status).toBe(1);
  });

  it('rejects a job count that is not a positive number', () => {
    const r = pinlab('check', '--jobs', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--jobs takes a positive whole number, not '0'");
  });
});

describe('pinlab check --threads', () => {
  const files = ['scenarios/dio-read-fork.pin', 'scenarios/should-dirty-redirty.pin'];

  it('reports what one thread without reduction reports: states, transitions, verdicts, traces', () => {
    expect(existsSync('dist/runtime/thread-worker.js')).toBe(true);
    const args = ['check', ...files, '--kernel', 'v5.4,v6.4,v6.5', '--format', 'json'];
    const one = pinlab(...args, '--no-por');
    const two = pinlab(...args, '--threads', '2');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(withoutTimes(two.stdout)).toBe(withoutTimes(one.stdout));
  });

  it('reports the same of a search large enough to run in the threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinlab-threads-'));
    const file = join(dir, 'gup-fork-2.pin');
    writeFileSync(file, gupForkTwoSpec());
    try {
      const args = ['check', file, '--kernel', 'v5.4,v6.5', '--format', 'json'];
      const one = pinlab(...args, '--no-por');
      const two = pinlab(...args, '--threads', '2');
      expect(one.status).toBe(0);
      expect(two.status).toBe(0);
      const states = (JSON.parse(one.stdout) as { results: { states: number }[] }).results.map(
        (r) => r.states,
      );
      expect(Math.min(...states)).toBeGreaterThan(ALONE_STATES);
      expect(withoutTimes(two.stdout)).toBe(withoutTimes(one.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the exit status of a failed expectation', () => {
    const r = pinlab('check', ...files, '--kernel', 'v6.6', '--set', 'dio.extract=get', '--threads', '2');
    expect(r.status).toBe(1);
  });

  it('rejects a thread count that is not a positive number, and --jobs with --threads', () => {
    const zero = pinlab('check', '--threads', '0');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain("--threads takes a positive whole number, not '0'");
    const both = pinlab('check', '--jobs', '2', '--threads', '2');
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--jobs and --threads share out the same cores');
  });
});
