import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPlain, keyOfSum, worldKey, worldSum, worldSumAfter } from '../../src/check/state-key.js';
import {
  draftWorld,
  ownActor,
  ownArray,
  ownFolio,
  ownMm,
  sealWorld,
  type Draft,
} from '../../src/model/core/cow.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../src/model/engine/step.js';
import { setReg } from '../../src/model/core/world.js';
import { parseOk } from '../scenario/helpers.js';
import { profile } from '../model/harness.js';
import { cve } from './programs.js';
import { setFolioFlag } from '../../src/model/include/mm_types.js';

function shuffleKeys(v: unknown, seed: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x: unknown, i) => shuffleKeys(x, seed + i));
  const entries = Object.entries(v as Record<string, unknown>);
  const rotated = entries.length
    ? [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)]
    : [];
  return Object.fromEntries(rotated.reverse().map(([k, x]) => [k, shuffleKeys(x, seed * 31 + 7)]));
}

/** A JSON value with its object keys sorted (JSON.stringify of it is canonical). */
function sorted(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(sorted);
  const rec = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(rec)
      .sort()
      .filter((k) => rec[k] !== undefined)
      .map((k) => [k, sorted(rec[k])]),
  );
}

describe('state key', () => {
  it('is canonical: key order does not matter', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (v, seed) => {
        expect(hashPlain(shuffleKeys(v, seed))).toEqual(hashPlain(v));
      }),
    );
  });

  it('reads undefined members as absent and holes as null, as JSON does', () => {
    expect(hashPlain({ a: 1, b: undefined })).toEqual(hashPlain({ a: 1 }));
    expect(hashPlain([1, undefined, 2])).toEqual(hashPlain([1, null, 2]));
  });

  it('tells apart values that differ only in type, nesting or order', () => {
    const values: unknown[] = [
      1,
      '1',
      true,
      null,
      [],
      {},
      [1],
      [[1]],
      { a: 1 },
      { a: '1' },
      { 1: 'a' },
      [1, 2],
      [2, 1],
      1.5,
      -0.5,
      { a: { b: 1 } },
      { a: 1, b: 1 },
    ];
    const keys = new Set(values.map((v) => JSON.stringify(hashPlain(v))));
    expect(keys.size).toBe(values.length);
  });

  it('tells apart distinct JSON values (a sample of 2 000 pairs)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(JSON.stringify(sorted(a)) !== JSON.stringify(sorted(b)));
        expect(hashPlain(a)).not.toEqual(hashPlain(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same World the same key whatever order registers were written in', () => {
    const w = instantiate(cve(), profile('v6.1').policies);
    const a = structuredClone(w);
    const b = structuredClone(w);
    (a.actors[1] as { regs: Record<string, string> }).regs = { r: '1', seen: 'B' };
    (b.actors[1] as { regs: Record<string, string> }).regs = { seen: 'B', r: '1' };
    expect(worldKey(a)).toEqual(worldKey(b));
  });

  it('is sensitive to every counter, flag, datum and actor field', () => {
    const w = instantiate(cve(), profile('v6.1').policies);
    const base = worldKey(w);
    const mutations: ((x: Draft) => void)[] = [
      (x) => (ownFolio(x, 2).refcount += 1),
      (x) => (ownFolio(x, 2).mapcount += 1),
      (x) => (ownFolio(x, 2).pincount += 1),
      (x) => setFolioFlag(ownFolio(x, 2), 'dirty', !x.folios[2]!.flags.dirty),
      (x) => (ownFolio(x, 2).data = 'Z'),
      (x) => (ownActor(x, 0).phase += 1),
      (x) => setReg(ownActor(x, 1), 'seen', 'B'),
      (x) => (ownMm(x, 0).hasPinned = true),
      (x) => ownArray(x, 'processes').push(null),
    ];
    for (const m of mutations) {
      const x = draftWorld(structuredClone(w));
      m(x);
      expect(worldKey(x)).not.toEqual(base);
    }
  });

  it('hashes near-identical states apart (no collision among 20 000)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const k = hashPlain({ refcount: i, data: 'A', regs: { r: String(i % 7) } });
      seen.add(`${k.hi}:${k.lo}`);
    }
    expect(seen.size).toBe(20000);
  });
});

describe('incremental World sums', () => {
  const DIR = new URL('../../scenarios/', import.meta.url);
  const programs = readdirSync(DIR)
    .filter((f) => f.endsWith('.pin'))
    .flatMap((f) => parseOk(readFileSync(new URL(f, DIR), 'utf8'), f).map((p) => p.scenario.program));

  it('give every successor the sum computed from scratch (random walks over the library)', () => {
    const p = profile('v6.1').policies;
    fc.assert(
      fc.property(fc.nat(programs.length - 1), fc.array(fc.nat(50), { maxLength: 40 }), (which, picks) => {
        const program = programs[which]!;
        let w = instantiate(program, p);
        let sum = worldSum(w);
        for (const pick of picks) {
          const en = enabledTransitions(program, p, w);
          if (en.length === 0) break;
          const next = applyTransition(program, p, w, en[pick % en.length]!).world;
          sum = worldSumAfter(w, sum, next);
          expect(keyOfSum(sum)).toEqual(worldKey(next));
          w = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('handle members a step adds, removes or names like Object.prototype members', () => {
    const w = sealWorld(instantiate(cve(), profile('v6.1').policies));
    const d = draftWorld(w);
    const a = ownActor(d, 0);
    a.regs = { constructor: '1', toString: '2', r: '3' };
    a.locals = { x: 1, y: [1, 2] };
    const e = draftWorld(d);
    const b = ownActor(e, 0);
    b.regs = { r: '3' };
    b.locals = { y: [1], z: null };
    (b.locals as Record<string, unknown>).x = undefined; // reads as absent
    for (const [p, c] of [
      [w, d],
      [d, e],
      [e, w],
      [w, e],
    ] as const)
      expect(keyOfSum(worldSumAfter(p, worldSum(p), c))).toEqual(worldKey(c));
    expect(worldKey(e)).not.toEqual(worldKey(d));
  });

  it('handle removed and added slots', () => {
    const w = sealWorld(instantiate(cve(), profile('v6.1').policies));
    const d = draftWorld(w);
    ownArray(d, 'uring').push({
      index: 0,
      mm: 0,
      folios: [2],
      grab: 'pin',
      node: 0,
      users: 0,
      unregistered: false,
      kbuf: null,
    });
    ownArray(d, 'bioDirtyList').push(3);
    const e = draftWorld(d);
    ownArray(e, 'uring').splice(0, 1);
    ownArray(e, 'processes').pop();
    for (const [a, b] of [
      [w, d],
      [d, e],
      [w, e],
    ] as const)
      expect(keyOfSum(worldSumAfter(a, worldSum(a), b))).toEqual(worldKey(b));
  });
});
