import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

/** The library on three releases with a what-if that makes some verdicts fail. */
function check(format: string): { code: number; out: string } {
  let out = '';
  const code = run(
    ['check', '--kernel', 'v4.19,v6.4,v6.6', '--set', 'dio.extract=get', '--format', format, '--quiet'],
    { version: '0.0.0-test', out: (s) => (out += s), err: () => undefined },
  );
  return { code, out };
}

const text = check('text');
const junit = check('junit');
const ktap = check('ktap');

/** A small reading of JUnit XML: each testcase's attributes and body. */
function testcases(xml: string): { attrs: Record<string, string>; body: string }[] {
  const cases = [...xml.matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)];
  return cases.map((m) => {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1] ?? ''] = a[2] ?? '';
    return { attrs, body: m[2] ?? '' };
  });
}

interface KtapTest {
  name: string;
  result: 'ok' | 'not ok';
  skip: boolean;
  diagnostics: string[];
  subtests: KtapTest[];
}

/**
 * A strict reading of nested KTAP: each level is `KTAP version 1`, (`# Subtest: NAME` below the top),
 * a plan `1..N`, then N results numbered 1..N, each preceded by its diagnostics or its own subtests
 * indented four more spaces; a subtest's header names it as its result line does.
 */
function parseKtap(lines: string[], depth: number): { tests: KtapTest[]; name: string | null } {
  const pad = ' '.repeat(depth * 4);
  const take = (): string => {
    const l = lines.shift();
    if (l === undefined) throw new Error('KTAP ends early');
    if (!l.startsWith(pad)) throw new Error(`bad indentation: ${JSON.stringify(l)}`);
    return l.slice(pad.length);
  };
  expect(take()).toBe('KTAP version 1');
  const name = depth > 0 ? (/^# Subtest: (.+)$/.exec(take())?.[1] ?? null) : null;
  if (depth > 0 && name === null) throw new Error('no subtest header');
  const plan = /^1\.\.(\d+)$/.exec(take());
  if (!plan) throw new Error('no plan');
  const tests: KtapTest[] = [];
  for (let i = 1; i <= Number(plan[1]); i++) {
    const diagnostics: string[] = [];
    let sub: KtapTest[] = [];
    let subName: string | null = null;
    while (lines[0]?.startsWith(`${pad}#`)) diagnostics.push(take());
    if (lines[0]?.startsWith(`${pad}    KTAP version 1`))
      ({ tests: sub, name: subName } = parseKtap(lines, depth + 1));
    const m = /^(ok|not ok) (\d+) ([^#]+?)( # SKIP.*)?$/.exec(take());
    if (!m) throw new Error('no result line');
    expect(Number(m[2])).toBe(i);
    if (subName !== null) expect(m[3]).toBe(subName);
    tests.push({
      name: m[3] ?? '',
      result: m[1] as 'ok' | 'not ok',
      skip: m[4] !== undefined,
      diagnostics,
      subtests: sub,
    });
  }
  // A parent's own diagnostics (an operation's warning) follow its children.
  while (depth > 0 && lines[0]?.startsWith(`${pad}#`)) take();
  return { tests, name };
}

const leaves = (t: KtapTest): KtapTest[] => (t.subtests.length === 0 ? [t] : t.subtests.flatMap(leaves));

describe('report formats', () => {
  it('gives every JUnit case a classname, unique with its name, and each failure its trace', () => {
    expect(junit.code).toBe(1);
    const cases = testcases(junit.out);
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) expect(c.attrs.classname).toBeTruthy();
    const keys = cases.map((c) => `${c.attrs.classname}\t${c.attrs.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const failures = cases.filter((c) => c.body.includes('<failure'));
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.body).toMatch(/<failure message="[^"]+">[\s\S]*replay: pinlab replay/);
    // A run that was not interrupted has no properties (memory.test.ts: one that was).
    expect(junit.out).not.toContain('<properties>');
  });

  it('nests KTAP per scenario, release and condition, with # diagnostics, parents failing with a child', () => {
    const lines = ktap.out.trimEnd().split('\n');
    const totals = lines.pop();
    const { tests } = parseKtap(lines, 0);
    expect(lines).toEqual([]);
    expect(tests.length).toBeGreaterThan(10);
    for (const scenario of tests) {
      expect(scenario.subtests.map((k) => k.name.replace(/\[.*$/, ''))).toEqual(['v4.19', 'v6.4', 'v6.6']);
      for (const release of scenario.subtests) {
        expect(release.result).toBe(release.subtests.some((c) => c.result === 'not ok') ? 'not ok' : 'ok');
        for (const c of release.subtests)
          expect(c.diagnostics[0]).toMatch(/^# \S+: \S+.*; \d+ states, \d+ transitions$/);
      }
    }
    const all = tests.flatMap(leaves);
    const fail = all.filter((t) => t.result === 'not ok').length;
    const skip = all.filter((t) => t.skip).length;
    expect(totals).toBe(
      `# Totals: pass:${all.length - fail - skip} fail:${fail} xfail:0 xpass:0 skip:${skip} error:0`,
    );
  });

  it('counts passes, failures and skips by one rule in text, JUnit and KTAP', () => {
    const [, pass, fail, skip] = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(text.out) ?? [];
    const totals = /# Totals: pass:(\d+) fail:(\d+) xfail:0 xpass:0 skip:(\d+)/.exec(ktap.out);
    expect(totals?.slice(1)).toEqual([pass, fail, skip]);
    const suites = /<testsuites name="pinlab" tests="(\d+)" failures="(\d+)" skipped="(\d+)">/.exec(
      junit.out,
    );
    expect(suites?.slice(1)).toEqual([String(Number(pass) + Number(fail) + Number(skip)), fail, skip]);
    const cases = testcases(junit.out);
    expect(cases.filter((c) => c.body.includes('<failure')).length).toBe(Number(fail));
    expect(cases.filter((c) => c.body.includes('<skipped')).length).toBe(Number(skip));
    expect(Number(skip)).toBeGreaterThan(0);
  });
});
