import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelResult, LabRow } from '../../src/lab/kernel-run.js';
import { readRecords, recordResults } from '../../src/lab/record.js';
import { jsonReport, ktapReport, labFailed, textReport } from '../../src/lab/report.js';

const row = (outcome: LabRow['outcome'], kernel: string, why = ''): LabRow => ({
  scenario: 'dio-read-fork[path=blkdev]',
  condition: 'sync-parent-lost',
  model: 'never',
  kernel,
  outcome,
  why,
  disk: 'ext4',
});

const ran = (rows: LabRow[], disagree = 0): KernelResult => ({
  kernel: '6.12',
  profile: 'v6.12',
  status: 'ran',
  why: '',
  packages: [{ name: 'linux-image-6.12.117+deb13-cloud-amd64-unsigned', version: '6.12.117-1' }],
  accel: 'tcg',
  uname: '6.12.117+deb13-cloud-amd64',
  seconds: 270,
  runs: 30,
  kmod: 'absent: no lab/kmod in the repository',
  notes: [],
  rows,
  selftests: [
    {
      program: 'cow',
      tree: 'linux-source-6.12 6.12.117-1',
      machine: {
        thpSizesKb: [2048],
        pmdSizeKb: 2048,
        hugetlbSizesKb: [2048],
        hugetlbPages: {},
        swap: true,
        hugeZeropage: true,
        gupTest: false,
        gupTestStandIn: false,
        selftestsOf: null,
      },
      real: [{ num: 1, run: 'Basic COW after fork() ... with base page', outcome: 'pass', msg: 'No leak' }],
      cases: [],
      counts: { agree: 1 - disagree, disagree, skipped: 0, unmatched: 0 },
    },
  ],
});

const skipped: KernelResult = {
  ...ran([]),
  kernel: '5.10',
  profile: 'v5.10',
  status: 'skipped',
  why: 'timeout: no end after 900 s',
  selftests: [],
};

describe('the lab reports', () => {
  it('fails on a contradiction, an error or a selftest case that disagrees, not on a skipped kernel', () => {
    expect(labFailed([ran([row('agree', '0/30')]), skipped])).toBe(false);
    expect(
      labFailed([
        ran([row('contradiction', '2/30', 'the model says no interleaving ends with it; 2/30 runs did')]),
      ]),
    ).toBe(true);
    expect(labFailed([ran([row('error', '-', 'the program failed: exit 1')])])).toBe(true);
    expect(labFailed([ran([row('agree', '0/30')], 1)])).toBe(true);
  });

  it('prints the packages, the table with the disk, the selftest counts, and a skip with its reason', () => {
    const text = textReport([ran([row('agree', '0/30')]), skipped]);
    expect(text).toContain(
      '== 6.12 (profile v6.12): ran in 270 s under tcg, uname 6.12.117+deb13-cloud-amd64',
    );
    expect(text).toContain('packages: linux-image-6.12.117+deb13-cloud-amd64-unsigned 6.12.117-1');
    expect(text).toMatch(/dio-read-fork\[path=blkdev\] @ext4 +sync-parent-lost +never +0\/30 +agree/);
    expect(text).toContain('cow (linux-source-6.12 6.12.117-1): 1 agree, 0 disagree, 0 skipped, 0 unmatched');
    expect(text).toContain('== 5.10 (profile v5.10): skipped: timeout: no end after 900 s');
    expect(JSON.parse(jsonReport([skipped]))).toEqual({ pinlab: 1, schemaVersion: '1.0.0', lab: [skipped] });
  });

  it('writes KTAP: a test per kernel, a subtest per row and selftest', () => {
    const k = ktapReport([ran([row('contradiction', '2/30', 'runs did')]), skipped]).split('\n');
    expect(k.slice(0, 2)).toEqual(['KTAP version 1', '1..2']);
    expect(k).toContain('    not ok 1 dio-read-fork[path=blkdev] @ext4 sync-parent-lost');
    expect(k).toContain('    ok 2 selftest cow');
    expect(k).toContain('not ok 1 6.12');
    expect(k).toContain('ok 2 5.10 # SKIP timeout: no end after 900 s');
  });

  it('records each kernel that ran, and the Markdown matrix of every record in the directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinlab-record-'));
    try {
      recordResults(dir, [ran([row('agree', '0/30')]), skipped], new Date('2026-12-02T12:00:00Z'));
      const records = readRecords(dir);
      expect(
        records.map((r) => [r.kernel, r.date, r.rows[0]?.kernel, r.selftests[0]?.real[0]?.outcome]),
      ).toEqual([['6.12', '2026-12-02', '0/30', 'pass']]);
      const md = readFileSync(join(dir, 'lab.md'), 'utf8');
      expect(md).toContain(
        '| 6.12.117+deb13-cloud-amd64 | v6.12 | linux-image-6.12.117+deb13-cloud-amd64-unsigned 6.12.117-1 | 2026-12-02 | 30 | 270 s | tcg |',
      );
      expect(md).toContain('| dio-read-fork[path=blkdev] | ext4 | sync-parent-lost | never | 0/30 | agree |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("records the host kernel (pinlab real's run) after the VM kernels", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinlab-record-'));
    try {
      const host: KernelResult = {
        ...ran([{ ...row('agree', '0/50'), disk: 'host' }]),
        kernel: 'host',
        profile: 'v6.18',
        uname: '6.18.44',
        packages: [],
        accel: 'native',
        selftests: [],
      };
      recordResults(dir, [host, ran([row('agree', '0/30')])], new Date('2026-12-02T12:00:00Z'));
      expect(readRecords(dir).map((r) => [r.kernel, r.profile, r.uname])).toEqual([
        ['6.12', 'v6.12', '6.12.117+deb13-cloud-amd64'],
        ['host', 'v6.18', '6.18.44'],
      ]);
      expect(readFileSync(join(dir, 'lab.md'), 'utf8')).toContain(
        '| dio-read-fork[path=blkdev] | host | sync-parent-lost | never | 0/50 | agree |',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
