import { describe, expect, it } from 'vitest';
import { ofItf, ofItfNormalized } from '@informalsystems/quint/dist/src/itf.js';
import type { QuintEx } from '@informalsystems/quint/dist/src/ir/quintIr.js';
import { itfTrace, type ItfTrace } from '../../src/report/itf.js';
import { traceFileSchema } from '../../src/report/schema.js';
import { loadScenarios } from '../../src/cli/library.js';
import { resolveKernels } from '../../src/cli/kernels.js';
import { runSuite } from '../../src/suite/run.js';
import { cli } from '../cli/helpers.js';

/**
 * pinlab's ITF traces as Quint itself reads them (ofItf, from @informalsystems/quint), and typed as
 * Quint types a trace: each var must have one type in every state. A nullable field that were a
 * number in one state and None in another, or a record whose fields change, would not.
 */

type Ty =
  | { readonly k: 'int' | 'str' | 'bool' | 'name' }
  | { readonly k: 'list' | 'set'; readonly of: Ty | null }
  | { readonly k: 'tup'; readonly of: readonly Ty[] }
  | { readonly k: 'rec'; readonly fields: ReadonlyMap<string, Ty> }
  | { readonly k: 'variant'; readonly cases: ReadonlyMap<string, Ty> }
  | { readonly k: 'map'; readonly key: Ty | null; readonly value: Ty | null };

function unify(a: Ty | null, b: Ty | null, at: string): Ty | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.k !== b.k) throw new Error(`${at}: ${a.k} in one state, ${b.k} in another`);
  switch (a.k) {
    case 'list':
    case 'set':
      return { k: a.k, of: unify(a.of, (b as typeof a).of, `${at}[]`) };
    case 'tup': {
      const o = (b as typeof a).of;
      if (o.length !== a.of.length) throw new Error(`${at}: tuples of different lengths`);
      return { k: 'tup', of: a.of.map((t, i) => unify(t, o[i] ?? null, `${at}.${i}`) as Ty) };
    }
    case 'rec': {
      const f = (b as typeof a).fields;
      const names = [...a.fields.keys()].sort().join(',');
      if (names !== [...f.keys()].sort().join(','))
        throw new Error(`${at}: record fields {${names}} and {${[...f.keys()].sort().join(',')}}`);
      return {
        k: 'rec',
        fields: new Map([...a.fields].map(([n, t]) => [n, unify(t, f.get(n) ?? null, `${at}.${n}`) as Ty])),
      };
    }
    case 'variant': {
      const cases = new Map(a.cases);
      for (const [tag, t] of (b as typeof a).cases)
        cases.set(tag, unify(cases.get(tag) ?? null, t, `${at}.${tag}`) as Ty);
      return { k: 'variant', cases };
    }
    case 'map': {
      const m = b as typeof a;
      return {
        k: 'map',
        key: unify(a.key, m.key, `${at}.key`),
        value: unify(a.value, m.value, `${at}.value`),
      };
    }
    case 'int':
    case 'str':
    case 'bool':
    case 'name':
      return a;
  }
}

function typeOf(e: QuintEx, at: string): Ty {
  switch (e.kind) {
    case 'int':
    case 'str':
    case 'bool':
    case 'name':
      return { k: e.kind };
    case 'app': {
      const args = e.args;
      const all = (): Ty | null =>
        args.reduce<Ty | null>((t, x, i) => unify(t, typeOf(x, `${at}[${i}]`), `${at}[]`), null);
      switch (e.opcode) {
        case 'List':
          return { k: 'list', of: all() };
        case 'Set':
          return { k: 'set', of: all() };
        case 'Tup':
          return { k: 'tup', of: args.map((x, i) => typeOf(x, `${at}.${i}`)) };
        case 'Rec': {
          const fields = new Map<string, Ty>();
          for (let i = 0; i < args.length; i += 2) {
            const name = args[i];
            const value = args[i + 1];
            if (name?.kind !== 'str' || value === undefined) throw new Error(`${at}: a bad record`);
            fields.set(name.value, typeOf(value, `${at}.${name.value}`));
          }
          return { k: 'rec', fields };
        }
        case 'variant': {
          const [tag, value] = args;
          if (tag?.kind !== 'str' || value === undefined) throw new Error(`${at}: a bad variant`);
          return { k: 'variant', cases: new Map([[tag.value, typeOf(value, `${at}.${tag.value}`)]]) };
        }
        case 'Map': {
          let key: Ty | null = null;
          let value: Ty | null = null;
          for (const pair of args) {
            const t = typeOf(pair, `${at}{}`);
            if (t.k !== 'tup' || t.of.length !== 2) throw new Error(`${at}: a map entry is no pair`);
            key = unify(key, t.of[0] ?? null, `${at}.key`);
            value = unify(value, t.of[1] ?? null, `${at}.value`);
          }
          return { k: 'map', key, value };
        }
      }
      throw new Error(`${at}: Quint read an operator ${e.opcode}`);
    }
    case 'lambda':
    case 'let':
      throw new Error(`${at}: Quint read a ${e.kind}`);
  }
}

/** Each var's type across the trace's states as Quint reads them, or the first clash. */
function quintTypes(t: ItfTrace): Map<string, Ty> {
  const states = ofItf(t as Parameters<typeof ofItf>[0]);
  expect(states).toHaveLength(t.states.length);
  const types = new Map<string, Ty>();
  states.forEach((s, i) => {
    const ty = typeOf(s, `states[${i}]`);
    if (ty.k !== 'rec') throw new Error(`states[${i}]: not a record`);
    expect([...ty.fields.keys()].sort()).toEqual([...t.vars].sort());
    for (const [v, x] of ty.fields) types.set(v, unify(types.get(v) ?? null, x, v) as Ty);
  });
  // The runtime's reading (sets and maps normalized) takes every state too.
  expect(ofItfNormalized(t as Parameters<typeof ofItfNormalized>[0])).toHaveLength(t.states.length);
  return types;
}

/** The traces of every row with one, for scenarios that touch page cache, pipes and forks. */
function libraryTraces(): ItfTrace[] {
  const files = ['dio-read-fork', 'mm-race-fork-write', 'read-fixed-dirty', 'vmsplice-child-unmap'].map(
    (f) => `scenarios/${f}.pin`,
  );
  const loaded = loadScenarios(files);
  const kernels = resolveKernels(['v5.10'], []);
  if (!loaded.ok || typeof kernels === 'string') throw new Error('the library does not load');
  return runSuite(loaded.scenarios, kernels).flatMap((r) => itfTrace(r) ?? []);
}

/** The paths (`ptes[].mm`) of the trace state's nullable fields, as the zod schema declares them. */
function nullablePaths(): string[] {
  type Def = { type: string; innerType?: Z; element?: Z; shape?: Record<string, Z> };
  type Z = { _zod: { def: Def } };
  const out: string[] = [];
  const walk = (s: Z, at: string): void => {
    const d = s._zod.def;
    if (d.type === 'nullable' && at !== '') out.push(at);
    if (d.innerType) walk(d.innerType, at);
    if (d.element) walk(d.element, `${at}[]`);
    if (d.shape && d.type === 'object')
      for (const [k, x] of Object.entries(d.shape)) walk(x, at === '' ? k : `${at}.${k}`);
  };
  const result = (traceFileSchema.shape.results as unknown as { element: { shape: { initial: Z } } }).element;
  walk(result.shape.initial, '');
  return out.sort();
}

describe('ITF traces read by Quint (ofItf)', () => {
  it('explain --format itf: one type per var in every state', () => {
    const r = cli('explain', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4', '--quiet', '--format', 'itf');
    expect(r.code).toBe(0);
    const types = quintTypes(JSON.parse(r.out) as ItfTrace);
    expect(types.get('actor')).toMatchObject({ k: 'variant' });
    expect([...(types.get('ret') as unknown as { cases: Map<string, Ty> }).cases.keys()].sort()).toEqual([
      'None',
      'Some',
    ]);
  });

  it('every trace of four library scenarios on v5.10, nullable fields as options throughout', () => {
    const traces = libraryTraces();
    expect(traces.length).toBeGreaterThan(10);
    for (const t of traces) {
      const state = quintTypes(t).get('state') as unknown as { fields: Map<string, Ty> };
      // Processes are created by fork: mm is None, then Some, and one type in both.
      const ptes = state.fields.get('ptes') as unknown as { of: { fields: Map<string, Ty> } };
      expect(ptes.of.fields.get('mm')).toMatchObject({ k: 'variant' });
    }
  });

  it('the state fields the schema declares nullable are options in ITF', () => {
    expect(nullablePaths()).toEqual(['bios[].dio', 'dios[].ret', 'ptes[].mm', 'swap[].cache']);
    const state = {
      folios: [],
      ptes: [{ process: 'P', mm: null, alive: true, buffers: [{ buffer: 'b', pte: { kind: 'none' } }] }],
      bios: [{ id: 0, op: 'read', state: 'done', flags: {}, pages: [], dio: null }],
      dios: [
        {
          id: 0,
          name: 'r',
          path: 'p',
          op: 'read',
          async: false,
          bios: [],
          pending: 0,
          done: true,
          ret: 4096,
        },
      ],
      pipes: [],
      uring: [],
      files: [],
      swap: [{ id: 0, data: 'A', count: 1, cache: null }],
      holds: [{ actor: 0, regs: { r: '4096' }, grabs: [] }],
    };
    const t = itfTrace({
      scenario: 's',
      kernel: 'v6.1',
      condition: 'c',
      verdict: 'sometimes',
      replay: null,
      trace: { token: 't', end: 'quiescent', steps: [], actors: [], initial: state },
    } as unknown as Parameters<typeof itfTrace>[0]);
    const s = (
      t?.states[0] as unknown as {
        state: {
          ptes: [Record<string, unknown>];
          bios: [Record<string, unknown>];
          dios: [Record<string, unknown>];
          swap: [Record<string, unknown>];
          holds: [Record<string, unknown>];
        };
      }
    ).state;
    expect(s.ptes[0].mm).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(s.bios[0].dio).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(s.dios[0].ret).toEqual({ tag: 'Some', value: { '#bigint': '4096' } });
    expect(s.swap[0].cache).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect(s.holds[0].regs).toEqual({ '#map': [['r', '4096']] });
    expect((s.ptes[0].buffers as [{ pte: unknown }])[0].pte).toEqual({ tag: 'none', value: { '#tup': [] } });
  });
});
