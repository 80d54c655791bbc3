import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_DIR } from '../../src/cli/library.js';
import { cli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pinlab-export-cli-'));

describe('pinlab export-c', () => {
  it('prints the program when the file gives one, its schedules from the model', () => {
    const r = cli('export-c', join(LIBRARY_DIR, 'should-dirty-redirty.pin'), '--runs', '9');
    expect(r.code).toBe(2); // two programs: -o wanted
    const one = cli('export-c', join(LIBRARY_DIR, 'ro-pin-unshare.pin'), '--runs', '9');
    expect(one.code).toBe(0);
    expect(one.out).toContain('#define SCENARIO "ro-pin-unshare"');
    expect(one.out).toContain('#define DEFAULT_RUNS 9');
    expect(one.out).toContain("/*   schedule 1: the model's trace to stale on v5.15 */");
    expect(one.err).toBe('');
  });

  it('writes one program per exportable axis value and names the refused ones', () => {
    const out = join(dir, 'prog.c');
    const r = cli('export-c', join(LIBRARY_DIR, 'dio-read-fork.pin'), '-o', out);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'prog-path=blkdev.c'))).toBe(true);
    expect(readFileSync(join(dir, 'prog-path=iomap.c'), 'utf8')).toContain('dio-read-fork[path=iomap]');
    expect(r.err).toContain(
      'dio-read-fork[path=legacy]: cannot run on a real kernel: thread T0: dio read legacy iovec legacy[0] into buf as r:',
    );
  });

  it('asks for -o when a file gives several programs', () => {
    const r = cli('export-c', join(LIBRARY_DIR, 'dio-read-fork.pin'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'the file gives 2 exportable scenarios (one per axis value): name an output with -o',
    );
  });

  it('refuses a scenario a process cannot run, with exit status 2', () => {
    const r = cli('export-c', join(LIBRARY_DIR, 'dio-dirty-after-writeback.pin'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      'dio-dirty-after-writeback: cannot run on a real kernel: thread T1: reclaim f[0]: no system call makes reclaim',
    );
  });

  it.each([
    [[], 'give one scenario file'],
    [['a.pin', 'b.pin'], 'give one scenario file'],
    [['x.pin', '--runs', '0'], '--runs takes a positive whole number'],
    [['x.pin', '--kernel', 'v9.9'], "unknown kernel 'v9.9'"],
    [['x.pin', '--bogus'], "unknown option '--bogus'"],
  ])('reports a usage error %j with exit status 2', (args, message) => {
    const r = cli('export-c', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('reports a scenario error as file:line:col', () => {
    const bad = join(dir, 'bad.pin');
    writeFileSync(bad, 'scenario bad\nprocess P\nthread T0 in P\n  wirte buf "A"\n');
    const r = cli('export-c', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.pin:\d+:\d+: /);
  });
});

describe('pinlab real', () => {
  it('reports a usage error with exit status 2', () => {
    const r = cli('real', '--runs', 'many');
    expect(r.code).toBe(2);
    expect(r.err).toContain("pinlab real: --runs takes a positive whole number, not 'many'");
  });
});
