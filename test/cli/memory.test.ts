import { describe, expect, it } from 'vitest';
import { sizeArg } from '../../src/cli/args.js';
import { run } from '../../src/cli/run.js';
import { defaultMaxMemory, HEAP_SHARE, watch, type MemoryReading } from '../../src/runtime/watch.js';
import { cli } from './helpers.js';
import { traceFileSchema } from '../../src/report/schema.js';

const MiB = 2 ** 20;
const reading = (rss: number, heapUsed = 0, heapLimit = 4096 * MiB): MemoryReading => ({
  rss,
  heapUsed,
  heapLimit,
});

describe('the memory and Ctrl-C watch (runtime/watch.ts)', () => {
  it('says memory past --max-memory, or past the heap share of its limit, else nothing', () => {
    const at = (m: MemoryReading) => watch({ maxMemory: 512 * MiB, interrupt: null }, () => m)();
    expect(at(reading(512 * MiB))).toBeNull();
    expect(at(reading(512 * MiB + 1))).toBe('memory');
    expect(at(reading(100 * MiB, 100 * MiB, 100 * MiB))).toBe('memory');
    expect(at(reading(100 * MiB, HEAP_SHARE * 100 * MiB, 100 * MiB))).toBeNull();
  });

  it('says interrupt once the shared word is set, before any memory reading', () => {
    const word = new Int32Array(new SharedArrayBuffer(4));
    let reads = 0;
    const stop = watch({ maxMemory: 1, interrupt: word }, () => (reads++, reading(2)));
    expect(stop()).toBe('memory');
    Atomics.store(word, 0, 1);
    expect(stop()).toBe('interrupt');
    expect(reads).toBe(1);
  });

  it('defaults to half of the memory there is, and reads sizes with K, M, G, T', () => {
    expect(defaultMaxMemory()).toBeGreaterThan(0);
    expect(sizeArg('max-memory', '512M')).toBe(512 * MiB);
    expect(sizeArg('max-memory', '4g')).toBe(4 * 1024 * MiB);
    expect(sizeArg('max-memory', '2GiB')).toBe(2 * 1024 * MiB);
    expect(sizeArg('max-memory', '1000')).toBe(1000);
    for (const bad of ['0', '-1M', '1.5G', 'lots', '12Q'])
      expect(sizeArg('max-memory', bad)).toMatch(/^--max-memory takes a size in bytes/);
  });
});

describe('pinlab check --max-memory', () => {
  const gupFork = (bound: string, ...more: string[]) =>
    cli('check', 'bench/gup-fork.pin', '--kernel', 'v6.5', '--max-memory', bound, ...more);

  it('a bound below what the process holds ends every search inconclusive (bound: memory), exit 1', () => {
    const r = gupFork('1M', '--progress=lines');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^gup-fork {2}\(0 states, 0\.0 s\)\n {2}parent-lost +inconclusive 0\/0 ✗\(never\) on all +mismatch\n/,
    );
    expect(r.out).toContain('(bound reached: memory, 0 states)');
    expect(r.out).toMatch(/\(partial: a bound stopped 1 of the searches\)\n$/);
    const [warning, ...rest] = r.err.split('\n');
    expect(warning).toMatch(
      /^pinlab check: warning: --max-memory 1,048,576 bytes is below what pinlab holds before any search \([\d,]+ bytes\): every search stops at once$/,
    );
    expect(rest.join('\n')).toBe(
      'pinlab: partial: gup-fork on v6.5: the search met its memory bound (--max-memory 1,048,576 bytes) ' +
        'after 0 states, 0 transitions, depth 0, table 41,984 bytes, 0.0 s\n',
    );
  });

  it('gives no warning for a bound above what the process holds', () => {
    const r = gupFork('1T', '--max-states', '10');
    expect(r.err).not.toContain('warning');
  });

  it('refuses a size it cannot read (exit 2)', () => {
    const r = cli('check', 'bench/gup-fork.pin', '--max-memory', 'lots');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "pinlab check: --max-memory takes a size in bytes, with K, M, G or T (as 512M or 4G), not 'lots'\n",
    );
  });
});

describe('pinlab check interrupted (Ctrl-C sets the run’s interrupt word)', () => {
  /** A run whose interrupt word is set when the first progress line is written: no clock involved. */
  const EVERY_1000 = ['--progress=lines', '--progress-every', '1000'];

  function interruptedRun(...argv: string[]): { code: number; out: string; err: string } {
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    let out = '';
    let err = '';
    const io = {
      version: '0',
      out: (s: string) => (out += s),
      err: (s: string) => {
        err += s;
        Atomics.store(interrupt, 0, 1);
      },
      interrupt,
    };
    const code = run(argv, io);
    return { code, out, err };
  }

  /** diff of bench/gup-fork.pin between v6.4 and v6.5, interrupted at its first progress line. */
  const diffGupFork = (...extra: string[]) =>
    interruptedRun(
      'diff',
      '--kernel',
      'v6.4',
      '--kernel',
      'v6.5',
      'bench/gup-fork.pin',
      ...EVERY_1000,
      ...extra,
    );

  /** check of bench/gup-fork.pin on v6.4 and v6.5, interrupted at its first progress line. */
  const checkGupFork = (...extra: string[]) =>
    interruptedRun('check', 'bench/gup-fork.pin', '--kernel', 'v6.4,v6.5', ...EVERY_1000, ...extra);

  it('stops the search under way, prints its statistics and the partial verdicts, exit 130', () => {
    const r = checkGupFork();
    expect(r.code).toBe(130);
    const lines = r.err.trim().split('\n');
    expect(lines[0]).toMatch(/^pinlab: \[1\/2\] gup-fork on v6\.4: 1,000 states, /);
    expect(lines[1]).toMatch(
      /^pinlab: partial: gup-fork on v6\.4: the search was interrupted \(Ctrl-C\) after 1,\d{3} states, [\d,]+ transitions, depth \d+, table [\d,]+ bytes, \d+\.\d s$/,
    );
    expect(lines[2]).toBe(
      'pinlab: interrupted: 1 of 2 (scenario, release) searches run; the verdicts are partial',
    );
    expect(lines).toHaveLength(3);
    // What was seen stays: v6.4's parent-lost is known before the interrupt or left inconclusive.
    expect(r.out).toMatch(/^gup-fork {2}\([\d,]+ states, \d+\.\d s\)\n {2}parent-lost +/);
    expect(r.out).toContain('(bound reached: interrupt, ');
    // Counted as KTAP and JUnit count it: v6.5's two tests skipped.
    expect(r.out).toMatch(
      /\n0 passed, 9 failed, 2 skipped \(partial: a bound stopped 1 of the searches; 2 not run: interrupted\)\n$/,
    );
    // The release whose search never started is -, not never.
    expect(r.out).toMatch(/\n {2}\[leak-at-exit\] +inconclusive ✗\(never\) on v6\.4, - on v6\.5 +mismatch\n/);
  });

  it('diff: exit 130, and a release left out is -, not a verdict that differs', () => {
    const r = diffGupFork();
    expect(r.code).toBe(130);
    expect(r.out).not.toContain('v6.5 never');
    expect(r.out).toContain('gup-fork  parent-lost: v6.4 ');
    expect(r.out).toMatch(/ -> v6\.5 -\n/);
    const j = diffGupFork('--format', 'json');
    expect(j.code).toBe(130);
    const d = JSON.parse(j.out) as { differences: Record<string, string>[] };
    expect(d.differences.every((x) => x['v6.5'] === '-')).toBe(true);
  });

  it('KTAP: the tests of the searches left out skipped, the run partial before totals that count as JUnit does', () => {
    const r = checkGupFork('--format', 'ktap');
    expect(r.code).toBe(130);
    expect(r.out).toMatch(
      /\n# interrupted: 1 of 2 \(scenario, release\) searches run; the verdicts are partial\n# Totals: pass:0 fail:9 xfail:0 xpass:0 skip:2 error:0\n$/,
    );
    // v6.5's search never started: a subtest whose condition and expected invariant are skipped.
    expect(r.out).toContain(
      '        # Subtest: v6.5\n        1..2\n        ok 1 parent-lost # SKIP interrupted\n' +
        '        ok 2 [lost-dio-data] # SKIP interrupted\n    ok 2 v6.5 # SKIP interrupted\n',
    );
  });

  it('JUnit: an interrupted property on each testsuite, the tests of the searches left out skipped', () => {
    const r = checkGupFork('--format', 'junit', '--no-timings');
    expect(r.code).toBe(130);
    expect(r.out).toContain(
      '\n  <testsuite name="gup-fork" tests="11" failures="9" skipped="2">\n' +
        '    <properties><property name="interrupted" value="1 of 2 (scenario, release) searches run; ' +
        'the verdicts are partial"/></properties>\n',
    );
    expect(r.out).toContain('<testsuites name="pinlab" tests="11" failures="9" skipped="2">');
    // v6.5's search never started: its condition and the invariant expected of it, skipped.
    const skipped = [...r.out.matchAll(/<testcase [^>]*name="([^"]+)"><skipped message="interrupted"\/>/g)];
    expect(skipped.map((m) => m[1])).toEqual(['v6.5 parent-lost', 'v6.5 [lost-dio-data]']);
    expect(r.out.match(/<testcase [^>]*name="v6\.5 /g)).toHaveLength(2);
  });

  it('JSON: names the searches a Ctrl-C left out (schema 1.4.0)', () => {
    const r = checkGupFork('--format', 'json');
    expect(r.code).toBe(130);
    const j = traceFileSchema.parse(JSON.parse(r.out));
    expect(j.schemaVersion).toBe('1.4.0');
    expect(j.interrupted).toEqual({
      run: 1,
      searches: 2,
      notRun: [{ scenario: 'gup-fork', kernel: 'v6.5' }],
    });
    expect(j.results.every((x) => x.kernel === 'v6.4')).toBe(true);
  });

  it('explain: exit 130 after the statistics', () => {
    const r = interruptedRun(
      'explain',
      'bench/gup-fork.pin',
      '--kernel',
      'v6.4',
      '--progress=lines',
      '--progress-every',
      '1000',
    );
    expect(r.code).toBe(130);
    expect(r.err).toContain('pinlab: interrupted: 1 of 1 (scenario, release) searches run');
  });
});
