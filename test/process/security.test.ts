import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_DIR } from '../../src/cli/library.js';

/** The built CLI under resource limits: worker counts capped at the cores, tables within the address space. */

const VMSPLICE = join(LIBRARY_DIR, 'vmsplice-child-unmap.pin');

describe('worker counts (the built CLI)', () => {
  it('caps --jobs and --threads at the cores, saying so on one line', () => {
    const cores = availableParallelism();
    for (const option of ['--jobs', '--threads']) {
      const r = spawnSync(
        process.execPath,
        ['dist/cli/main.js', 'check', VMSPLICE, '--kernel', 'v6.6', option, '999'],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(
        `pinlab check: ${option} 999 is more than this machine's ${cores} cores: using ${cores}\n`,
      );
    }
  });
});

describe('--threads under a small address space (the built CLI)', () => {
  // The shared tables reserved 1 GiB of address space each (some 19 GiB), and node died at the hand-off
  // under any `ulimit -v` of 16 GB or less; they now reserve what the states bound needs.
  const limited = (args: string): SpawnSyncReturns<string> =>
    spawnSync(
      'sh',
      [
        '-c',
        `ulimit -v 8000000 && exec "$0" dist/cli/main.js check bench/gup-fork.pin --quiet ${args}`,
        process.execPath,
      ],
      { encoding: 'utf8' },
    );

  it('ends a search on its bound under ulimit -v 8000000', () => {
    const r = limited('--kernel v6.5 --threads 2 --max-states 20000');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('is inconclusive, expected never (bound reached: states, 20000 states)');
    expect(r.status).toBe(1);
  });

  // Without a states bound each table would reserve the 1 GiB memory bound: they shrink until they fit.
  it('completes a search without a states bound under ulimit -v 8000000', () => {
    const r = limited('--kernel v6.5 --threads 2');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});
