import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Run test/fixtures/workers-job.mjs (compiled workers.ts), with worker 1 dying as `how` says. */
function job(how: string): { done: number[]; error: string | null } {
  const r = spawnSync(process.execPath, ['test/fixtures/workers-job.mjs', how], {
    encoding: 'utf8',
    timeout: 10 * 60_000, // only a hang reaches it (the test run has no per-test limit a busy machine meets)
  });
  expect(r.signal).toBeNull(); // a wait that never ends is killed by the timeout
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { done: number[]; error: string | null };
}

describe('startWorkers', () => {
  it("hands every worker's posts to the waiting thread", () => {
    expect(job('live')).toEqual({ done: [0, 1, 2], error: null });
  });

  it('ends the wait with an error when a worker dies at load, without posting', () => {
    const r = job('throw');
    expect(r.error).toBe('pinlab check: worker 1 stopped: died at load');
  });

  it('ends the wait with an error when a worker exits with a non-zero code', () => {
    expect(job('exit').error).toBe('pinlab check: worker 1 stopped: exit code 3');
  });
});
