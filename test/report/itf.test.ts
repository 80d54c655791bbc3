import { describe, expect, it } from 'vitest';
import { itfValue } from '../../src/report/itf.js';
import { cli } from '../cli/helpers.js';

/**
 * The ITF rules (Apalache ADR-015, as Quint reads it): a trace is an object with `vars` (names) and
 * `states`, optionally `#meta`, `params` and `loop`; each state is an object with `#meta` and exactly
 * the vars as fields; a value is a boolean, a string, `{"#bigint": "-?digits"}`, a list (JSON array),
 * `{"#tup": [...]}`, `{"#set": [...]}`, `{"#map": [[k, v], ...]}`, `{"#unserializable": "..."}` or a
 * record (an object none of whose fields starts with `#`). No null; integers only as `#bigint` here.
 */
function itfProblem(v: unknown, at: string): string | null {
  if (typeof v === 'boolean' || typeof v === 'string') return null;
  if (Array.isArray(v)) return v.map((x, i) => itfProblem(x, `${at}[${i}]`)).find((e) => e !== null) ?? null;
  if (typeof v !== 'object' || v === null) return `${at}: not an ITF value (${JSON.stringify(v)})`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const tagged = keys.filter((k) => k.startsWith('#'));
  if (tagged.length === 0)
    return keys.map((k) => itfProblem(o[k], `${at}.${k}`)).find((e) => e !== null) ?? null;
  if (keys.length !== 1) return `${at}: a tagged value has one field`;
  const tag = tagged[0] ?? '';
  const x = o[tag];
  switch (tag) {
    case '#bigint':
      return typeof x === 'string' && /^-?[0-9]+$/.test(x) ? null : `${at}: #bigint needs a decimal string`;
    case '#unserializable':
      return typeof x === 'string' ? null : `${at}: #unserializable needs a string`;
    case '#tup':
    case '#set':
      return Array.isArray(x) ? itfProblem(x, `${at}.${tag}`) : `${at}: ${tag} needs a list`;
    case '#map':
      return Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2)
        ? itfProblem(x, `${at}.#map`)
        : `${at}: #map needs a list of pairs`;
    default:
      return `${at}: unknown tag ${tag}`;
  }
}

function traceProblem(t: unknown): string | null {
  if (typeof t !== 'object' || t === null) return 'not an object';
  const { vars, states, loop } = t as { vars?: unknown; states?: unknown; loop?: unknown };
  if (!Array.isArray(vars) || !vars.every((v) => typeof v === 'string')) return 'vars: a list of names';
  if (!Array.isArray(states) || states.length === 0) return 'states: a non-empty list';
  if (loop !== undefined && !Number.isInteger(loop)) return 'loop: an integer';
  for (const [i, s] of states.entries()) {
    const { '#meta': meta, ...fields } = s as Record<string, unknown>;
    if ((meta as { index?: unknown } | undefined)?.index !== i)
      return `states[${i}]: #meta.index is not ${i}`;
    if (JSON.stringify(Object.keys(fields).sort()) !== JSON.stringify([...vars].sort()))
      return `states[${i}]: fields are not the vars`;
    const e = itfProblem(fields, `states[${i}]`);
    if (e !== null) return e;
  }
  return null;
}

describe('--format itf', () => {
  it('explain writes the shortest trace as an ITF trace', () => {
    const r = cli('explain', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4', '--quiet', '--format', 'itf');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as {
      '#meta': { format: string };
      vars: string[];
      states: Record<string, unknown>[];
    };
    expect(traceProblem(t)).toBeNull();
    expect(t['#meta'].format).toBe('ITF');
    expect(t.vars).toEqual(['step', 'actor', 'fn', 'op', 'ret', 'state']);
    expect(t.states[0]).toMatchObject({ step: { '#bigint': '0' }, actor: { tag: 'None' } });
    expect(t.states[1]).toMatchObject({ step: { '#bigint': '1' }, actor: { tag: 'Some' } });
    expect(t.states.length).toBeGreaterThan(2);
  });

  it('check writes the trace of each verdict that differs from its expectation', () => {
    const r = cli(
      'check',
      'scenarios/dio-read-fork.pin',
      '--kernel',
      'v6.4',
      '--set',
      'dio.extract=pin',
      '--quiet',
      '--format',
      'itf',
    );
    const traces = JSON.parse(r.out) as unknown[];
    expect(r.code).toBe(1);
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) expect(traceProblem(t)).toBeNull();
  });

  it('encodes integers as #bigint, null as None, and nothing the rules refuse', () => {
    expect(itfValue({ a: -22, b: null, c: [1, 'x', true] })).toEqual({
      a: { '#bigint': '-22' },
      b: { tag: 'None', value: { '#tup': [] } },
      c: [{ '#bigint': '1' }, 'x', true],
    });
    expect(itfProblem(itfValue({ '#set': 1.5 }), 'v')).toBeNull();
    expect(itfProblem({ a: null }, 'v')).toMatch(/^v\.a: not an ITF value/);
    expect(itfProblem({ '#bigint': 3 }, 'v')).toMatch(/#bigint needs a decimal string/);
    expect(traceProblem({ vars: ['x'], states: [{ '#meta': { index: 0 }, y: true }] })).toMatch(
      /not the vars/,
    );
  });
});
