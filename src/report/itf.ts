import type { Row } from '../suite/run.js';
import { fileStep } from './trace-file.js';

/**
 * The Informal Trace Format of Apalache and Quint (ADR-015): a counterexample as `#meta`, `vars` and
 * `states`, each state `{"#meta": {"index": i}, var: value, ...}`. Integers are `{"#bigint": "N"}`,
 * lists JSON arrays, records JSON objects; a missing value (null) is Quint's option variant
 * `{"tag": "None", "value": {"#tup": []}}`, a present one of a nullable field `{"tag": "Some", ...}`
 * (in every state: STATE names the state's nullable fields).
 * State 0 is the state before the first step; state i the state after step i.
 */

export type ItfValue =
  | boolean
  | string
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly [field: string]: ItfValue };

/** A state: its index in `#meta`, then one value per var. */
export interface ItfState {
  readonly '#meta': { readonly index: number };
  readonly [name: string]: ItfValue | { readonly index: number };
}

export interface ItfTrace {
  readonly '#meta': Readonly<Record<string, string>>;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

const NONE: ItfValue = { tag: 'None', value: { '#tup': [] } };

/** A JSON value of a trace as ITF: integers as bigints, null as None, the rest as it is. */
export function itfValue(v: unknown): ItfValue {
  if (v === null || v === undefined) return NONE;
  if (typeof v === 'number')
    return Number.isInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(itfValue);
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [
      k.startsWith('#') ? `_${k}` : k,
      itfValue(x),
    ]),
  );
}

/** An optional value (a return value, the actor of state 0): Some(v) or None. */
const option = (v: unknown): ItfValue => (v === null ? NONE : { tag: 'Some', value: itfValue(v) });

/**
 * How a part of the trace state is written so each var has one type in every state, as Quint reads
 * it: a field that may be null is an option in every state (Some when it has a value); a record whose
 * keys vary (an actor's registers) is a `#map`; a tagged union (a PTE by its `kind`) is a variant
 * whose value holds the other fields. Anything not named here is written by itfValue.
 */
type Shape =
  | 'option'
  | 'map'
  | { readonly variant: string }
  | { readonly list: Shape }
  | { readonly fields: Readonly<Record<string, Shape>> };

const STATE: Shape = {
  fields: {
    ptes: {
      list: {
        fields: { mm: 'option', buffers: { list: { fields: { pte: { variant: 'kind' } } } } },
      },
    },
    bios: { list: { fields: { dio: 'option' } } },
    dios: { list: { fields: { ret: 'option' } } },
    swap: { list: { fields: { cache: 'option' } } },
    holds: { list: { fields: { regs: 'map' } } },
  },
};

function shaped(v: unknown, shape: Shape): ItfValue {
  if (shape === 'option') return option(v);
  if (v === null || typeof v !== 'object') return itfValue(v);
  const o = v as Record<string, unknown>;
  if (shape === 'map') return { '#map': Object.entries(o).map(([k, x]) => [k, itfValue(x)]) };
  if ('variant' in shape) {
    const { [shape.variant]: tag, ...rest } = o;
    // A case without fields holds the unit value, the empty tuple.
    const value = Object.keys(rest).length === 0 ? { '#tup': [] } : itfValue(rest);
    return { tag: String(tag), value };
  }
  if ('list' in shape) return Array.isArray(v) ? v.map((x) => shaped(x, shape.list)) : itfValue(v);
  return Object.fromEntries(
    Object.entries(o).map(([k, x]) => {
      const f = shape.fields[k];
      return [k, f === undefined ? itfValue(x) : shaped(x, f)];
    }),
  );
}

/** A trace state as ITF, each nullable field an option (STATE). */
export const itfState = (state: unknown): ItfValue => shaped(state, STATE);

export const ITF_VARS = ['step', 'actor', 'fn', 'op', 'ret', 'state'] as const;

/** A row's shortest trace as an ITF trace, or null when it has none. */
export function itfTrace(r: Row): ItfTrace | null {
  const t = r.trace;
  if (t === null) return null;
  const first = { step: itfValue(0), actor: NONE, fn: '', op: '', ret: NONE, state: itfState(t.initial) };
  const steps = t.steps.map(fileStep).map((s) => ({
    step: itfValue(s.step),
    actor: option(s.actorName),
    fn: s.fn,
    op: s.op,
    ret: option(s.ret),
    state: itfState(s.state),
  }));
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: r.scenario,
      description: `pinlab: ${r.scenario} on ${r.kernel}: ${r.condition} is ${r.verdict}; ends ${t.end}; replay ${r.replay ?? t.token}`,
    },
    vars: ITF_VARS,
    states: [first, ...steps].map((s, index) => ({ '#meta': { index }, ...s })),
  };
}

/** `check --format itf`: the trace of each verdict that differs from its expectation, as a JSON list of ITF traces. */
export function itfReport(rows: readonly Row[]): string {
  const traces = rows.filter((r) => r.ok === false).flatMap((r) => itfTrace(r) ?? []);
  return `${JSON.stringify(traces, null, 2)}\n`;
}
