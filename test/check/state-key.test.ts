import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hash64, worldKey } from '../../src/check/state-key.js';
import { instantiate } from '../../src/model/sim/instantiate.js';
import { clonePlain } from '../../src/model/sim/clone.js';
import { profile } from '../model/harness.js';
import { cve } from './programs.js';

function shuffleKeys(v: unknown, seed: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x: unknown, i) => shuffleKeys(x, seed + i));
  const entries = Object.entries(v as Record<string, unknown>);
  const rotated = entries.length
    ? [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)]
    : [];
  return Object.fromEntries(rotated.reverse().map(([k, x]) => [k, shuffleKeys(x, seed * 31 + 7)]));
}

describe('state key', () => {
  it('is canonical: key order does not matter', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (v, seed) => {
        expect(canonicalJson(shuffleKeys(v, seed))).toBe(canonicalJson(v));
      }),
    );
  });

  it('is the JSON of the data: it parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('gives the same World the same key whatever order registers were written in', () => {
    const w = instantiate(cve(), profile('v6.1').policies);
    const a = clonePlain(w);
    const b = clonePlain(w);
    (a.actors[1] as { regs: Record<string, string> }).regs = { r: '1', seen: 'B' };
    (b.actors[1] as { regs: Record<string, string> }).regs = { seen: 'B', r: '1' };
    expect(worldKey(a)).toEqual(worldKey(b));
  });

  it('is sensitive to every counter, flag, datum and actor field', () => {
    const w = instantiate(cve(), profile('v6.1').policies);
    const base = worldKey(w);
    const mutations: ((x: typeof w) => void)[] = [
      (x) => (x.folios[2]!.refcount += 1),
      (x) => (x.folios[2]!.mapcount += 1),
      (x) => (x.folios[2]!.pincount += 1),
      (x) => (x.folios[2]!.flags.dirty = !x.folios[2]!.flags.dirty),
      (x) => (x.folios[2]!.data = 'Z'),
      (x) => (x.actors[0]!.phase += 1),
      (x) => (x.actors[1]!.regs['seen'] = 'B'),
      (x) => (x.mms[0]!.hasPinned = true),
      (x) => x.processes.push(null),
    ];
    for (const m of mutations) {
      const x = clonePlain(w);
      m(x);
      expect(worldKey(x)).not.toEqual(base);
    }
  });

  it('hashes distinct strings apart (no collision among 20 000 near-identical keys)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const k = hash64(`{"refcount":${i},"data":"A"}`);
      seen.add(`${k.hi}:${k.lo}`);
    }
    expect(seen.size).toBe(20000);
  });
});
