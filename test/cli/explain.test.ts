import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const FILE = 'scenarios/dio-read-fork.pin';
const PICK = ['--axis', 'path=iomap', '--condition', 'sync-parent-lost', '--quiet'];

describe('pinlab explain --condition --axis --kernel A,B', () => {
  it('explains the condition asked, in the scenario with that axis value', () => {
    const r = cli('explain', FILE, '--kernel', 'v6.4', ...PICK);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^dio-read-fork\[path=iomap\] on v6\.4: sync-parent-lost is sometimes\n/);
    expect(r.out).toContain("replay: pinlab replay 'dio-read-fork[path=iomap]@v6.4:");
  });

  it('without FILES explains the first bad outcome of the built-in library, and of several files the first', () => {
    const lib = cli('explain', '--kernel', 'v6.1', '--quiet');
    expect(lib.code).toBe(0);
    // The library in its order: btrfs-dio-write-csum comes first and is bad on v6.1.
    expect(lib.out).toMatch(/^btrfs-dio-write-csum on v6\.1: read-eio is sometimes\n/);
    const two = cli('explain', 'scenarios/longterm-pin-fork.pin', FILE, '--kernel', 'v5.8', '--quiet');
    expect(two.code).toBe(0);
    expect(two.out).toMatch(/^longterm-pin-fork on v5\.8: lost is always\n/);
  });

  it('replays the interleaving on B beside A and marks the first step that differs', () => {
    const r = cli('explain', FILE, '--kernel', 'v6.4,v6.5', ...PICK);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\nthe same interleaving on v6.5:\nstep  v6.4 ');
    // v6.4 takes a reference with iov_iter_get_pages2, v6.5 pins with iov_iter_extract_pages.
    expect(r.out).toMatch(/\n>> 1\. T0: dio -> iomap_dio_rw\(\) +T0: dio -> iomap_dio_rw\(\)\n/);
    expect(r.out).toContain('\nfirst difference at step 1:\n');
    expect(r.out).toMatch(/\n {2}v6\.4: iomap_dio_rw\(\) via [^\n]*iov_iter_get_pages2/);
    expect(r.out).toMatch(/\n {2}v6\.5: iomap_dio_rw\(\) via [^\n]*iov_iter_extract_pages/);
    expect(r.out.match(/^>>/gm)).toHaveLength(1);
  });

  it('writes JSON: the result, its trace, and the replay on B with where it parts', () => {
    const r = cli('explain', FILE, '--kernel', 'v6.4,v6.5', ...PICK, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      pinlab: number;
      explain: {
        result: { scenario: string; kernel: string; condition: string; verdict: string; trace: unknown[] };
        compare: { kernel: string; steps: unknown[]; notEnabledAt: number | null; firstDifference: number };
      };
    };
    expect(j.pinlab).toBe(1);
    expect(j.explain.result).toMatchObject({
      scenario: 'dio-read-fork[path=iomap]',
      kernel: 'v6.4',
      condition: 'sync-parent-lost',
      verdict: 'sometimes',
    });
    expect(j.explain.compare).toMatchObject({ kernel: 'v6.5', notEnabledAt: null, firstDifference: 0 });
    expect(j.explain.compare.steps).toHaveLength(j.explain.result.trace.length);
  });

  it('refuses an axis value or a condition no scenario has (exit 2)', () => {
    const axis = cli('explain', FILE, '--kernel', 'v6.4', '--axis', 'path=nfs');
    expect(axis.code).toBe(2);
    expect(axis.err).toMatch(
      /^pinlab explain: no scenario has --axis path=nfs \(known: path=blkdev .*path=legacy\)\n$/,
    );
    const cond = cli('explain', FILE, '--kernel', 'v6.4', '--condition', 'nope');
    expect(cond.code).toBe(2);
    expect(cond.err).toMatch(/^pinlab explain: no condition or invariant 'nope' \(known: sync-parent-lost /);
  });

  it('refuses a third release as a usage error (exit 2): A, or A and B to compare', () => {
    expect(cli('explain', FILE, '--kernel', 'v6.4,v6.5,v6.6', ...PICK)).toEqual({
      code: 2,
      out: '',
      err: 'pinlab explain: give one release, or two to compare (--kernel A[,B]), not 3\n',
    });
    expect(cli('explain', FILE, '--kernel', 'v6.4', '--kernel', 'v6.5', '--kernel', 'v6.6').code).toBe(2);
    // With --out the trace file holds every release's results, for the viewer's release buttons.
    const out = join(mkdtempSync(join(tmpdir(), 'pinlab-explain-')), 'trace.json');
    expect(cli('explain', FILE, '--kernel', 'v6.4,v6.5,v6.6', ...PICK, '--out', out).code).toBe(0);
  });
});

describe('pinlab diff --format json', () => {
  it('lists each verdict that differs, by scenario and condition', () => {
    const r = cli('diff', FILE, '--kernel', 'v6.4', '--kernel', 'v6.5', '--format', 'json', '--quiet');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { kernels: string[]; differences: Record<string, string>[] };
    expect(j.kernels).toEqual(['v6.4', 'v6.5']);
    expect(j.differences).toContainEqual({
      scenario: 'dio-read-fork[path=iomap]',
      condition: 'sync-parent-lost',
      'v6.4': 'sometimes',
      'v6.5': 'never',
    });
    expect(j.differences.every((d) => d['v6.4'] !== d['v6.5'])).toBe(true);
  });
});
