import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

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
