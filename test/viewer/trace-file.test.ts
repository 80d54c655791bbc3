import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTraceFile } from '../../src/report/trace-file.js';
import { cli, dioReadForkTrace } from './fixtures.js';

let cached: string | undefined;
const text = (): string => (cached ??= readFileSync(dioReadForkTrace('v6.4,v6.5'), 'utf8'));

function errorOf(t: string): string {
  const r = parseTraceFile(t);
  return r.ok ? 'accepted' : r.error;
}

/** The dio-read-fork file with one change made to its parsed JSON. */
function edited(change: (f: { results: Record<string, unknown>[] }) => void): string {
  const f = JSON.parse(text()) as { results: Record<string, unknown>[] };
  change(f);
  return JSON.stringify(f);
}

describe('the trace file', () => {
  it('is what explain --out and check --format json write, one result per kernel and condition', () => {
    const r = parseTraceFile(text());
    if (!r.ok) throw new Error(r.error);
    expect(r.file.results.map((x) => x.kernel)).toContain('v6.5');
    const v64 = r.file.results.find((x) => x.kernel === 'v6.4' && x.trace !== null);
    expect(v64?.actors?.map((a) => a.name)).toEqual(['T0', 'T1', 'device', 'bio-dirty-work']);
    expect(v64?.initial?.ptes.map((p) => p.process)).toEqual(['P', 'C']);
    const check = cli('check', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4', '--format', 'json');
    expect(errorOf(check.out)).toBe('accepted');
  });

  it('is refused with where and what is wrong', () => {
    expect(errorOf('{"pinlab": 1,')).toMatch(/^not JSON \(/);
    expect(errorOf('[]')).toBe('not a pinlab trace file: expected an object with "pinlab": 1');
    expect(errorOf('{"pinlab": 2, "results": []}')).toMatch(/^not a pinlab trace file/);
    expect(errorOf('{"pinlab": 1}')).toBe('results: expected a list');
    const step = (f: { results: Record<string, unknown>[] }): Record<string, unknown> =>
      (f.results[0]?.trace as Record<string, unknown>[])[2] as Record<string, unknown>;
    expect(errorOf(edited((f) => (step(f).fn = 3)))).toBe('results[0].trace[2].fn: expected a string');
    expect(
      errorOf(
        edited((f) => {
          const s = step(f).state as { ptes: { buffers: { pte: { kind: string } }[] }[] };
          (s.ptes[0]?.buffers[0] as { pte: { kind: string } }).pte.kind = 'toString';
        }),
      ),
    ).toBe('results[0].trace[2].state.ptes[0].buffers[0].pte.kind: expected one of none, present, swap');
    expect(errorOf(edited((f) => ((f.results[0] as Record<string, unknown>).initial = null)))).toBe(
      'results[0]: a result with a trace needs its end, actors and initial state',
    );
    expect(errorOf(edited((f) => ((f.results[0] as Record<string, unknown>).verdict = '<b>')))).toBe(
      'results[0].verdict: expected one of never, sometimes, always, inconclusive, unavailable',
    );
  });
});
