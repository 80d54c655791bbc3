import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labCacheDir } from '../../src/cli/lab.js';
import { archivesOf, download, machineSources, suiteApt } from '../../src/lab/apt.js';
import { FALLBACK_SELFTEST_SOURCE, LAB_KERNELS } from '../../src/lab/kernels.js';

/**
 * `pinlab check --format ktap` of the whole library read by the kernel's own KTAP parser
 * (tools/testing/kunit/kunit.py parse, from Debian's linux-source-6.12, which the lab's cache keeps):
 * every test accounted for, with pinlab's own counts. Without python3, apt or the archive it says why
 * it skipped.
 */
function kunitPy(): string {
  if (spawnSync('python3', ['--version']).status !== 0) return 'no python3';
  const archives = archivesOf(machineSources());
  const kernel = LAB_KERNELS.find((k) => k.source === FALLBACK_SELFTEST_SOURCE);
  if (archives === null || kernel === undefined) return 'no Debian archive in the apt sources';
  const cache = labCacheDir(undefined);
  const apt = suiteApt(cache, kernel, archives);
  if (typeof apt === 'string') return apt;
  const deb = download(apt, kernel.source, join(cache, 'debs'));
  if (typeof deb === 'string') return deb;
  const dir = join(cache, 'kunit', basename(deb.file, '.deb'));
  const tool = join(dir, kernel.source, 'tools/testing/kunit/kunit.py');
  if (!existsSync(tool)) {
    mkdirSync(dir, { recursive: true });
    const script =
      'dpkg-deb --fsys-tarfile "$1" | tar -xO "./usr/src/$2.tar.xz" | ' +
      'tar -xJ -C "$3" --wildcards "$2/tools/testing/kunit/*"';
    spawnSync('bash', ['-c', script, 'extract', deb.file, kernel.source, dir]);
  }
  return existsSync(tool) ? tool : `kunit.py is not in ${basename(deb.file)}`;
}

/** Python's XML parser's reading of a JUnit file: the cases, the unique classname+name pairs, the totals. */
const JUNIT_READER = `
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('./testsuite/testcase')
keys = {(c.get('classname'), c.get('name')) for c in cases}
failed = sum(1 for c in cases if c.find('failure') is not None)
skipped = sum(1 for c in cases if c.find('skipped') is not None)
print(len(cases), len(keys), failed, skipped, root.get('tests'), root.get('failures'), root.get('skipped'))
`;

describe("the kernel's KTAP parser and Python's XML parser", () => {
  it('reads the KTAP of the whole library with every test accounted for', (ctx) => {
    const tool = kunitPy();
    if (!tool.endsWith('kunit.py')) {
      console.warn(`kunit parser test skipped: ${tool}`);
      ctx.skip(tool);
    }
    const run = spawnSync(
      process.execPath,
      ['dist/cli/main.js', 'check', '--format', 'ktap', '--no-timings', '--quiet'],
      {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      },
    );
    expect(run.status).toBe(0);
    const totals = /^# Totals: pass:(\d+) fail:(\d+) xfail:0 xpass:0 skip:(\d+) error:0$/m.exec(run.stdout);
    expect(totals).not.toBeNull();
    const [pass, fail, skip] = (totals ?? []).slice(1).map(Number);
    const file = join(mkdtempSync(join(tmpdir(), 'pinlab-ktap-')), 'library.ktap');
    writeFileSync(file, run.stdout);
    const parsed = spawnSync('python3', [tool, 'parse', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
    // kunit.py counts the leaves (conditions and invariants per scenario and release), as pinlab does.
    const line = /Testing complete\. Ran (\d+) tests: passed: (\d+)(?:, skipped: (\d+))?\s*$/m.exec(
      parsed.stdout,
    );
    expect(line?.slice(1).map((x) => Number(x ?? 0))).toEqual([
      (pass ?? 0) + (fail ?? 0) + (skip ?? 0),
      pass,
      skip,
    ]);
    expect(fail).toBe(0);
    expect(parsed.stdout).not.toMatch(/\[(CRASHED|FAILED)\]|could not find|unexpected/i);
  });

  it('reads the JUnit of the whole library: every case with a classname, unique with its name', (ctx) => {
    if (spawnSync('python3', ['--version']).status !== 0) ctx.skip('no python3');
    const file = join(mkdtempSync(join(tmpdir(), 'pinlab-junit-')), 'library.xml');
    const run = spawnSync(
      process.execPath,
      ['dist/cli/main.js', 'check', '--format', 'junit', '--no-timings', '--quiet'],
      { encoding: 'utf8', maxBuffer: 256 << 20 },
    );
    expect(run.status).toBe(0);
    writeFileSync(file, run.stdout);
    const read = spawnSync('python3', ['-c', JUNIT_READER, file], { encoding: 'utf8' });
    expect(read.stderr).toBe('');
    const [cases, unique, failed, skipped, tests, failures, skips] = read.stdout
      .trim()
      .split(' ')
      .map(Number);
    expect(cases).toBeGreaterThan(2000);
    expect(unique).toBe(cases);
    expect([tests, failures, skips]).toEqual([cases, failed, skipped]);
    expect(failed).toBe(0);
  });
});
