import { describe, expect, it } from 'vitest';
import {
  check,
  type CheckResult,
  type Invariant,
  type Progress,
  PROGRESS_EVERY,
} from '../../src/check/index.js';
import { INVARIANT_TABLE } from '../../src/model/invariants/index.js';
import { op, profile, program, anon } from '../model/harness.js';
import {
  cve,
  cveLeak,
  exists,
  forall,
  independent,
  memIs,
  putOfPin,
  regIs,
  writers,
  xWins,
} from './programs.js';

/** A pinned page released with unpin of a ref: the refcount drops by the pin bias, the page is freed, a peek follows. */
function uaf() {
  return program(
    [anon('buf')],
    [
      { process: 0, ops: [op.get('buf', 'h1'), op.get('buf', 'h2'), op.unpin('h1'), op.peek('h2', 'r')] },
      { process: 0, ops: [op.write('buf', 'W')] },
    ],
    [op.write('buf', 'A')],
  );
}

describe('check: conditions', () => {
  it('CVE-2020-29374: the child sees the parent write on v5.4 (sometimes), never on v6.1', () => {
    const old = check(cve(), [cveLeak], profile('v5.4'));
    expect(old.conditions[0]).toMatchObject({ verdict: 'sometimes', holds: true, satisfy: 1, violate: 2 });
    expect(old.bound).toBeNull();
    const trace = old.conditions[0]?.trace;
    expect(trace?.end).toBe('quiescent');
    expect(trace?.token).toBe('v5.4:0.1.1.0.1.1');
    // Spelled as v5.4 does (src/model/profile/names.ts): __do_munmap, kmap_atomic.
    expect(trace?.steps.map((s) => s.fn)).toEqual([
      'dup_mmap',
      'get_user_pages_fast',
      '__do_munmap',
      expect.any(String),
      'kmap_atomic',
      'put_page',
    ]);
    const peek = trace?.steps[4];
    expect(peek?.actorName).toBe('T1');
    expect(peek?.folios[0]?.after?.data).toBe('B');

    const fixed = check(cve(), [cveLeak], profile('v6.1'));
    expect(fixed.conditions[0]).toMatchObject({ verdict: 'never', holds: false, satisfy: 0, trace: null });
  });

  it('two writers race: sometimes; each step shows counters before and after', () => {
    const r = check(
      writers(),
      [xWins, exists('either', { kind: 'or', args: [memIs(0, 'buf', 'X'), memIs(0, 'buf', 'Y')] })],
      profile('v6.1'),
    );
    expect(r.conditions[0]?.verdict).toBe('sometimes');
    expect(r.conditions[1]?.verdict).toBe('always');
    const last = r.conditions[0]?.trace?.steps.at(-1);
    expect(last?.folios[0]?.before?.data).toBe('Y');
    expect(last?.folios[0]?.after?.data).toBe('X');
    expect(last?.folios[0]?.after?.refcount).toBe(1);
    expect(last?.folios[0]?.after?.mapcount).toBe(1);
  });

  it('forall conditions get a counterexample', () => {
    const r = check(writers(), [forall('x-always', memIs(0, 'buf', 'X'))], profile('v6.1'));
    expect(r.conditions[0]).toMatchObject({ verdict: 'sometimes', holds: false });
    expect(r.conditions[0]?.counterexample?.steps.length).toBe(2);
  });
});

describe('check: invariants', () => {
  it('counter-mismatch (error) is reported with its code and a trace; the violating path ends', () => {
    const r = check(putOfPin(), [exists('read', regIs(1, 'r', 'A'))], profile('v6.1'));
    const cm = r.invariants.find((i) => i.name === 'counter-mismatch');
    expect(cm).toMatchObject({
      severity: 'error',
      verdict: 'always',
      violation: { code: 'put-of-pin', invariant: 'counter-mismatch', what: 'put-of-pin' },
    });
    expect(cm?.trace?.end).toBe('violation');
    expect(cm?.trace?.steps.at(-1)?.violations[0]?.code).toBe('put-of-pin');
  });

  it('use-after-free (error) stops the violating path', () => {
    // Alone: the unpin of a ref before the peek is a counter mismatch, an error that would end the path.
    const r = check(uaf(), [], profile('v6.1'), { invariants: [INVARIANT_TABLE['use-after-free']] });
    const u = r.invariants[0];
    expect(u?.verdict).toBe('always');
    expect(u?.trace?.steps.at(-1)?.op).toBe('peek');
    expect(u?.violation).toMatchObject({ code: 'access-after-free', what: 'dma-read' });
  });

  it('a custom invariant judges each step, and final states through quiescent()', () => {
    const violation = (invariant: string, what: string) => ({ code: 'seen', invariant, folios: [], what });
    const yLast: Invariant = {
      name: 'y-last',
      severity: 'flag',
      scope: 'step',
      doc: 'a final state keeps Y',
      check: (input) =>
        input.quiescent() && input.world.folios.some((f) => !f.freed && f.data === 'Y')
          ? [violation('y-last', 'Y')]
          : [],
    };
    const sawX: Invariant = {
      name: 'saw-x',
      severity: 'flag',
      scope: 'step',
      doc: 'a folio holds X',
      check: ({ world }) => (world.folios.some((f) => f.data === 'X') ? [violation('saw-x', 'X')] : []),
    };
    const r = check(writers(), [], profile('v6.1'), { invariants: [yLast, sawX] });
    expect(r.invariants.map((i) => i.verdict)).toEqual(['sometimes', 'always']);
    expect(r.invariants[0]?.trace?.end).toBe('violation');
    expect(r.invariants[1]?.trace?.steps.length).toBe(1);
  });

  it('asks for quiescence only when an invariant does', () => {
    const seesB: Invariant = {
      name: 'child-sees-B',
      severity: 'error',
      scope: 'step',
      doc: 'the child reads the parent write',
      check: (input) =>
        input.world.actors[1]?.regs['seen'] === 'B'
          ? [{ code: 'seen', invariant: 'child-sees-B', folios: [], what: `quiescent=${input.quiescent()}` }]
          : [],
    };
    for (const [k, verdict] of [
      ['v5.4', 'sometimes'],
      ['v6.1', 'never'],
    ] as const) {
      const r = check(cve(), [], profile(k), { invariants: [seesB] });
      expect(r.por).toBe(true);
      expect(r.invariants[0]?.verdict).toBe(verdict);
      if (verdict === 'sometimes') expect(r.invariants[0]?.violation?.what).toBe('quiescent=false');
    }
  });

  it("reports every violation of a step, of every invariant, in the invariants' order", () => {
    const both = (name: string): Invariant => ({
      name,
      severity: 'flag',
      scope: 'step',
      doc: 'two findings on a write of X',
      check: ({ world }) =>
        world.folios.some((f) => f.data === 'X')
          ? ['first', 'second'].map((what) => ({ code: what, invariant: name, folios: [], what }))
          : [],
    });
    const r = check(writers(), [], profile('v6.1'), { invariants: [both('a'), both('b')] });
    const last = r.invariants[1]?.trace?.steps.at(-1);
    expect(last?.violations.map((v) => `${v.invariant}.${v.code}`)).toEqual([
      'a.first',
      'a.second',
      'b.first',
      'b.second',
    ]);
  });

  it('a state-scope invariant turns the reduction off', () => {
    const any: Invariant = { name: 'any', severity: 'flag', scope: 'state', doc: '', check: () => [] };
    expect(check(independent(), [], profile('v6.1'), { invariants: [any] }).por).toBe(false);
    expect(check(independent(), [], profile('v6.1')).por).toBe(true);
  });
});

describe('check: bounds', () => {
  const conds = [exists('x', memIs(0, 'buf', 'X'))];
  const figures = (r: CheckResult) => ({ states: r.states, transitions: r.transitions, depth: r.maxDepth });

  it('maxStates ends in inconclusive with the figures', () => {
    const r = check(independent(), conds, profile('v6.1'), { maxStates: 5, por: false });
    expect(r.bound).toBe('states');
    expect(r.states).toBe(5);
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
    expect(r.invariants.every((i) => i.verdict === 'inconclusive')).toBe(true);
    expect(figures(r).transitions).toBeGreaterThan(0);
  });

  it('maxDepth truncates the search: inconclusive, depth at the bound', () => {
    const r = check(independent(), conds, profile('v6.1'), { maxDepth: 3, por: false });
    expect(r.bound).toBe('depth');
    expect(r.maxDepth).toBe(3);
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
  });

  it('a time bound needs the injected clock', () => {
    let t = 0;
    const now = () => (t += 1000);
    const r = check(independent(), conds, profile('v6.1'), { timeoutMs: 1, now, por: false });
    expect(r.bound).toBe('time');
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
    expect(check(independent(), conds, profile('v6.1'), { timeoutMs: 1 }).bound).toBeNull();
  });

  it('maxMemory stops the search when the table would grow past it', () => {
    const ops = [op.write('buf', 'X'), op.read('buf', 'r'), op.write('buf', 'Z'), op.read('buf', 's')];
    const r = check(independent(ops), conds, profile('v6.1'), { maxMemory: 256, por: false });
    expect(r.bound).toBe('memory');
    expect(r.states).toBeLessThanOrEqual(24); // 256 bytes: 32 slots, at most 3/4 full
    expect(r.conditions[0]?.verdict).toBe('inconclusive');
  });

  it('what was seen for certain stays certain under a bound', () => {
    const r = check(writers(), [xWins], profile('v6.1'), { maxDepth: 2 });
    expect(r.bound).toBeNull();
    expect(r.conditions[0]?.verdict).toBe('sometimes');
  });
});

describe('check: determinism', () => {
  it('two runs give deep-equal, byte-identical results', () => {
    for (const por of [true, false]) {
      const a = check(cve(), [cveLeak], profile('v5.4'), { por });
      const b = check(cve(), [cveLeak], profile('v5.4'), { por });
      expect(b).toEqual(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });
});

describe('check: progress', () => {
  it('reports every progressEvery stored states, and the result does not depend on it', () => {
    const all: Progress[] = [];
    const quiet = check(writers(), [xWins], profile('v6.1'), { por: false });
    const loud = check(writers(), [xWins], profile('v6.1'), {
      por: false,
      progressEvery: 2,
      onProgress: (p) => all.push(p),
    });
    expect(loud).toEqual(quiet);
    // The shortest-trace pass after the search reports too, as its own phase.
    expect(all.some((p) => p.phase === 'traces')).toBe(true);
    const seen = all.filter((p) => p.phase === undefined);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.map((p) => p.states)).toEqual(
      Array.from({ length: Math.floor(quiet.states / 2) }, (_, i) => 2 * (i + 1)),
    );
    for (const [a, b] of seen.slice(1).map((p, i) => [seen[i]!, p] as const)) {
      expect(b.transitions).toBeGreaterThanOrEqual(a.transitions);
      expect(b.maxDepth).toBeGreaterThanOrEqual(a.maxDepth);
    }
    expect(seen.every((p) => p.tableBytes > 0 && p.maxDepth <= quiet.maxDepth)).toBe(true);
  });

  it('reports nothing by default below PROGRESS_EVERY states', () => {
    let calls = 0;
    const r = check(writers(), [xWins], profile('v6.1'), { onProgress: () => (calls += 1) });
    expect(r.states).toBeLessThan(PROGRESS_EVERY);
    expect(calls).toBe(0);
  });
});
