import type { World } from '../model/sim/world.js';

/**
 * The canonical state key: a canonical serialisation of the World, hashed to 64 bits.
 *
 * Canonical: objects are written with their keys sorted (the model builds `regs`, `held` and `locals`
 * in whatever order the interleaving ran, so insertion order is not canonical), `undefined` members
 * are skipped (absent and undefined read the same way in the model), array holes are `null`. The
 * serialiser is generic on purpose: a field added to the World later is part of the key without
 * anyone touching this file, so two Worlds with one key are the same plain data.
 *
 * The hash: two 32-bit multiplicative lanes over the UTF-16 code units, cross-mixed at the end
 * (cyrb53's construction, kept to the full 64 bits). Two distinct states share a key with probability
 * about n²/2⁶⁵ for n stored states (as SPIN's hash-compact mode); a collision would merge two states.
 */

export interface StateKey {
  readonly hi: number;
  readonly lo: number;
}

/** Canonical JSON of plain data: sorted object keys, undefined members skipped. */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonicalJson(value[i] as unknown);
        }
        return out + ']';
      }
      const rec = value as Record<string, unknown>;
      const keys = Object.keys(rec).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = rec[k];
        if (v === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + canonicalJson(v);
      }
      return out + '}';
    }
    case 'bigint':
    case 'symbol':
    case 'function':
      // Never in plain model data.
      throw new TypeError(`canonicalJson: ${typeof value} is not plain data`);
  }
}

/** A 64-bit hash of a string, as two unsigned 32-bit halves. */
export function hash64(s: string, seed = 0): StateKey {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { hi: h2 >>> 0, lo: h1 >>> 0 };
}

/** The key of a World alone (final states, the shortest-trace search). */
export function worldKey(w: World): StateKey {
  return hash64(canonicalJson(w));
}

/**
 * The key of a search state: the World plus the set of flag-severity invariants already violated on
 * the path (a bit mask), so that "reached cleanly" and "reached after a violation" stay apart.
 */
export function searchKey(canonicalWorld: string, mask: number): StateKey {
  return hash64(mask === 0 ? canonicalWorld : `${canonicalWorld}#${mask}`);
}

/** A key as a string, for small exact sets (the DFS stack). */
export function keyString(k: StateKey): string {
  return `${k.hi.toString(16)}:${k.lo.toString(16)}`;
}
