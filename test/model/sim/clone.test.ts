import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../../src/model/sim/clone.js';

/** Every object and array reachable from `v`. */
function nodes(v: unknown, out: unknown[] = []): unknown[] {
  if (typeof v !== 'object' || v === null) return out;
  out.push(v);
  for (const x of Object.values(v)) nodes(x, out);
  return out;
}

/** Same members in the same order, same leaves, arrays as arrays, all the way down. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(ra[k], rb[k]));
}

function expectDeepCopy(v: unknown): void {
  const c = clonePlain(v);
  expect(same(c, v)).toBe(true);
  const mine = new Set(nodes(v));
  for (const n of nodes(c)) expect(mine.has(n)).toBe(false);
}

// Few member names, so that objects share shapes, and names Object.prototype has come up.
const name = fc.constantFrom('id', 'kind', 'flags', 'data', 'constructor', 'toString', 'r1', 'r2');
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(name, tie('value'), { maxKeys: 5, noNullPrototype: true }),
}));

describe('clonePlain', () => {
  it('copies plain data deeply: equal, and sharing no object with the original', () => {
    fc.assert(
      fc.property(fc.array(plain.value, { minLength: 1, maxLength: 8 }), (vs) => {
        for (const v of vs) expectDeepCopy(v);
      }),
      { numRuns: 500 },
    );
  });

  it('does not take a member Object.prototype has for one the object lacks', () => {
    expectDeepCopy({ constructor: 1, a: 2 });
    expectDeepCopy({ b: 1, a: 2 });
    expectDeepCopy({ constructor: 1, toString: 2 });
    expectDeepCopy({ constructor: 1, b: 2 });
  });

  it('copies objects with an undefined member or a __proto__ member', () => {
    expect(clonePlain({ a: 1, b: undefined })).toStrictEqual({ a: 1, b: undefined });
    const odd = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    const c = clonePlain(odd);
    expect(Object.keys(c)).toEqual(['__proto__', 'y']);
    expect(c.y).toBe(2);
  });

  it('copies objects of many shapes', () => {
    for (let n = 1; n < 40; n++) {
      const o: Record<string, number> = { first: n };
      for (let i = 0; i < n; i++) o[`m${i}`] = i;
      expectDeepCopy(o);
    }
  });

  it('leaves the original as it was when the copy changes', () => {
    const v = { id: 1, flags: { dirty: false }, vmas: [{ pte: { folio: 2 } }] };
    const c = clonePlain(v);
    c.flags.dirty = true;
    c.vmas[0]!.pte.folio = 3;
    expect(v).toStrictEqual({ id: 1, flags: { dirty: false }, vmas: [{ pte: { folio: 2 } }] });
  });
});
