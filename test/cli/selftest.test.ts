import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const SMALL = ['--thp-sizes', '2048', '--hugetlb-sizes', '2048'];

describe('pinlab cow', () => {
  it('prints one KTAP document per release; exits 1 when a release fails a test, as cow.c does', () => {
    const r = cli('cow', '--kernel', 'v6.1,v6.12', '--set', 'gup.testInterface=pin-longterm-test', ...SMALL);
    expect(r.code).toBe(1);
    const docs = r.out.split('TAP version 13\n').slice(1);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toContain("# pinlab: cow.c as of v6.2 (the 6.12 tree's tests), on the model of v6.1");
    // The v6.2 cow.c: the 4 hugetlb vmsplice() cases are `not ok` too (XFAIL only from v6.10).
    expect(docs[0]).toMatch(/Bail out! 14 out of 173 tests failed/);
    expect(docs[1]).toMatch(/# Totals: pass:\d+ fail:0 /);
    expect(cli('cow', '--kernel', 'v6.12', ...SMALL).code).toBe(0);
  });
  it("prints each release's strings, or those of --selftests", () => {
    const own = cli('cow', '--kernel', 'v7.2', ...SMALL).out;
    expect(own).toContain('ok 1 Basic COW after fork() ... with base page\n');
    const old = cli('cow', '--kernel', 'v7.2', '--selftests', 'v6.12', ...SMALL).out;
    expect(old).toContain('ok 1 No leak from parent into child\n');
    expect(old).toContain("# pinlab: cow.c as of v6.10 (the 6.12 tree's tests), on the model of v7.2");
    const bad = cli('cow', '--selftests', '6.12');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--selftests: '6.12' is not a release (vX.Y)");
  });
  it("--selftests v7.2 with the lab VM's machine prints the real 7.2 cow output (docs/conformance/cow-7.2-lab.ktap)", () => {
    const r = cli(
      'cow',
      '--kernel',
      'v7.2',
      '--selftests',
      'v7.2',
      '--hugetlb-pages',
      '2048:64,1048576:0',
      '--no-gup-test',
      '--gup-test-stand-in',
    );
    expect(r.code).toBe(0);
    const real = readFileSync(new URL('../../docs/conformance/cow-7.2-lab.ktap', import.meta.url), 'utf8');
    expect(r.out.replace(/^# pinlab: .*\n/m, '')).toBe(real);
  });
  it('--hugetlb-pages: KIB:N of a size the machine has', () => {
    const r = cli('cow', '--kernel', 'v6.12', ...SMALL, '--hugetlb-pages', '2048:0');
    expect(r.out).toMatch(
      /# \[RUN\] Basic COW \.\.\. with memfd hugetlb \(2048 kB\)\nok \d+ # SKIP need more free huge pages\n/,
    );
    for (const [arg, msg] of [
      ['2048', "--hugetlb-pages: '2048' is not KIB:N"],
      ['4096:2', '--hugetlb-pages: 4096 KiB is not a hugetlb size of the machine (2048)'],
    ] as const) {
      const bad = cli('cow', ...SMALL, '--hugetlb-pages', arg);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(msg);
    }
  });
  it('text and json formats', () => {
    const text = cli(
      'cow',
      '--kernel',
      'v5.10,v6.12',
      '--format',
      'text',
      '--set',
      'gup.testInterface=pin-longterm-test',
      ...SMALL,
    ).out;
    expect(text).toMatch(/R\/O GUP pin on R\/O-mapped shared page \.\.\. with base page +fail +pass/);
    const json = JSON.parse(cli('cow', '--kernel', 'v6.12', '--format', 'json', ...SMALL).out) as {
      runs: { kernel: string; tests: { outcome: string }[] }[];
    };
    expect(json.runs[0]?.tests).toHaveLength(173);
  });
  it('pinlab gup-longterm prints the gup_longterm.c KTAP; --no-gup-test skips its GUP cases', () => {
    const r = cli('gup-longterm', '--kernel', 'v6.18', '--no-gup-test');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok 1 # SKIP gup_test not available');
    expect(r.out).toMatch(/# Totals: pass:8 fail:0 xfail:0 xpass:0 skip:42 error:0/);
  });
  it.each([
    [['--thp-sizes', '3000'], "--thp-sizes: '3000' is not a size in KiB pinlab models"],
    [['--hugetlb-sizes', '4096'], "--hugetlb-sizes: '4096' is not a size in KiB pinlab models"],
    [['--kernel', 'v9.9'], "unknown kernel 'v9.9'"],
    [['--format', 'xml'], '--format is one of ktap, text, json'],
    [['extra'], "unexpected argument 'extra'"],
  ])('rejects %j with a clear message (exit 2)', (args, msg) => {
    const r = cli('cow', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
  });
});
