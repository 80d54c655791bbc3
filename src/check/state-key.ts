import type { World } from '../model/core/world.js';

/**
 * The canonical state key: a 64-bit hash of the World's plain data, computed by walking it (no
 * string is built).
 *
 * Canonical: an object hashes as the multiset of its (key, value) pairs (each pair hashed to 64 bits,
 * the pairs summed per lane), so the order its keys were written in does not matter (the model builds
 * `regs`, `held` and `locals` in whatever order the interleaving ran) and no key is sorted; `undefined`
 * members are skipped (absent and undefined read the same way in the model); array holes and
 * `undefined` elements hash as `null`. Arrays hash in order, with their length. The walk is generic on
 * purpose: a field added to the World later is part of the key without anyone touching this file.
 *
 * A World's key is built differently from hashPlain's, leaf by leaf, to be incremental: see WorldSum.
 *
 * Each lane mixes with murmur3's step and finaliser; leaves (numbers, strings, booleans, null) carry
 * distinct seeds so `1`, `"1"` and `true` differ. Two distinct states share a key with probability
 * about n²/2⁶⁵ for n stored states (as SPIN's hash-compact mode); a collision would merge two states.
 */

export interface StateKey {
  readonly hi: number;
  readonly lo: number;
}

// The two lanes of the value hashed last: return registers, so the walk allocates nothing.
let regA = 0;
let regB = 0;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function fmix(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** murmur3's block step: fold `k` into the running hash `h`. */
function step(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  let y = h ^ Math.imul(x, 0x1b873593);
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

function hashString(s: string): void {
  let a = 0x2f8c1b3d ^ s.length;
  let b = 0x6a09e667 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  regA = fmix(a ^ Math.imul(b ^ (b >>> 15), 0x735a2d97));
  regB = fmix(b ^ Math.imul(a ^ (a >>> 16), 0x2c1b3c6d));
}

function hashNumber(n: number): void {
  if ((n | 0) === n) {
    regA = fmix(step(0x1f3d5b79, n));
    regB = fmix(step(0x5be0cd19, Math.imul(n, 0x9e3779b1) ^ 0x3c6ef372));
    return;
  }
  f64[0] = Number.isFinite(n) ? n : 0; // non-finite numbers read as null in JSON; never in model data
  regA = fmix(step(step(0x510e527f, u32[0] as number), u32[1] as number));
  regB = fmix(step(step(0x9b05688c, u32[1] as number), u32[0] as number));
}

function hashArray(v: readonly unknown[]): void {
  let a = 0x243f6a88;
  let b = 0x85a308d3;
  for (let i = 0; i < v.length; i++) {
    hashValue(v[i]);
    a = step(a, regA);
    b = step(b, regB);
  }
  regA = fmix(a ^ v.length);
  regB = fmix(b ^ Math.imul(v.length, 0x27d4eb2f));
}

/** Member names seen so far, with their lanes already folded into each pair's seed (a few dozen names). */
const keyHashes = new Map<string, readonly [number, number]>();

/** The seeds of member name `k` (hashing a string moves the registers, so they are saved around it). */
function memberSeeds(k: string): readonly [number, number] {
  let kh = keyHashes.get(k);
  if (kh === undefined) {
    const va = regA;
    const vb = regB;
    hashString(k);
    kh = [step(0x13198a2e, regA), step(0x03707344, regB)];
    keyHashes.set(k, kh);
    regA = va;
    regB = vb;
  }
  return kh;
}

/** Fold member `k` (whose value's lanes are in the registers) into one pair of lanes. */
function memberLanes(k: string): void {
  const kh = memberSeeds(k);
  regA = fmix(step(kh[0], regA));
  regB = fmix(step(kh[1], regB));
}

function hashObject(rec: Record<string, unknown>): void {
  let sumA = 0;
  let sumB = 0;
  let n = 0;
  for (const k in rec) {
    const v = rec[k];
    if (v === undefined) continue;
    hashValue(v);
    memberLanes(k);
    sumA = (sumA + regA) | 0;
    sumB = (sumB + regB) | 0;
    n += 1;
  }
  regA = fmix(step(sumA, n ^ 0x299f31d0));
  regB = fmix(step(sumB, n ^ 0x082efa98));
}

function hashValue(v: unknown): void {
  switch (typeof v) {
    case 'number':
      hashNumber(v);
      return;
    case 'string':
      hashString(v);
      return;
    case 'boolean':
      regA = v ? 0x6b8b4567 : 0x327b23c6;
      regB = v ? 0x643c9869 : 0x66334873;
      return;
    case 'undefined':
      regA = 0x74b0dc51;
      regB = 0x19495cff;
      return;
    case 'object':
      if (v === null) hashValue(undefined);
      else if (Array.isArray(v)) hashArray(v as readonly unknown[]);
      else hashObject(v as Record<string, unknown>);
      return;
    case 'bigint':
    case 'symbol':
    case 'function':
      // Never in plain model data.
      throw new TypeError(`hashPlain: ${typeof v} is not plain data`);
  }
}

/** The 64-bit canonical hash of plain data (objects, arrays, strings, numbers, booleans, null). */
export function hashPlain(value: unknown): StateKey {
  hashValue(value);
  return { hi: regA >>> 0, lo: regB >>> 0 };
}

/**
 * A World's key before finalisation: per-lane sums of one term per leaf of its plain data, the term
 * hashing the leaf's path (member names and array indices from the World down) with its value, plus
 * one term per object and per array length on the way. A sum of per-path terms is canonical as
 * hashPlain is (member order does not count, `undefined` members are absent, array holes read as
 * null), and it is incremental: a successor's sum is its parent's with the terms of the leaves that
 * differ taken out and theirs added. worldSumAfter finds those leaves by walking parent and child
 * side by side, skipping what they share (the elements a step did not copy, model/core/cow.ts) and the
 * members a copied element kept, so a step costs the fields it changed, not the elements it touched.
 */
export interface WorldSum {
  readonly a: number;
  readonly b: number;
}

let sumA = 0;
let sumB = 0;

/** A leaf's term: its path's seeds folded with its value's lanes. */
function leafTerm(pa: number, pb: number, v: unknown, sign: number): void {
  hashValue(v);
  sumA = (sumA + sign * fmix(step(pa, regA))) | 0;
  sumB = (sumB + sign * fmix(step(pb, regB))) | 0;
}

/** An object's own term (so `{}` and an absent member differ), or an array's length term. */
function nodeTerm(pa: number, pb: number, n: number, sign: number): void {
  sumA = (sumA + sign * fmix(step(pa ^ 0x5bd1e995, n))) | 0;
  sumB = (sumB + sign * fmix(step(pb ^ 0x1b873593, n ^ 0x7f4a7c15))) | 0;
}

// The seeds of the path last extended: return registers, as regA/regB.
let pathA = 0;
let pathB = 0;

function memberPath(pa: number, pb: number, k: string): void {
  const kh = memberSeeds(k);
  pathA = step(pa, kh[0]);
  pathB = step(pb, kh[1]);
}

function indexPath(pa: number, pb: number, i: number): void {
  pathA = step(pa, Math.imul(i + 1, 0x9e3779b1));
  pathB = step(pb, Math.imul(i + 1, 0x85ebca77) ^ 0x165667b1);
}

/** Objects get length -1 in their node term; arrays their length. */
const OBJECT_NODE = -1;

/** Add (sign 1) or take out (sign -1) every term of value `v` at the path seeded (pa, pb). */
function valueTerms(pa: number, pb: number, v: unknown, sign: number): void {
  if (v === undefined) return;
  if (typeof v !== 'object' || v === null) {
    leafTerm(pa, pb, v, sign);
    return;
  }
  if (Array.isArray(v)) {
    nodeTerm(pa, pb, v.length, sign);
    for (let i = 0; i < v.length; i++) {
      indexPath(pa, pb, i);
      valueTerms(pathA, pathB, (v[i] as unknown) ?? null, sign);
    }
    return;
  }
  nodeTerm(pa, pb, OBJECT_NODE, sign);
  const rec = v as Record<string, unknown>;
  for (const k in rec) {
    memberPath(pa, pb, k);
    valueTerms(pathA, pathB, rec[k], sign);
  }
}

/** Member `k` of `o`, or undefined when `o` has no own `k` (a name like `constructor` is inherited). */
function ownMember(o: Record<string, unknown>, k: string): unknown {
  const v = o[k];
  return typeof v === 'function' ? undefined : v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Move the sums from value `p` to value `c` at the path seeded (pa, pb), walking only what differs. */
function diffTerms(pa: number, pb: number, p: unknown, c: unknown): void {
  if (p === c) return;
  if (Array.isArray(p) && Array.isArray(c)) {
    const n = Math.max(p.length, c.length);
    for (let i = 0; i < n; i++) {
      const pe: unknown = i < p.length ? ((p[i] as unknown) ?? null) : undefined;
      const ce: unknown = i < c.length ? ((c[i] as unknown) ?? null) : undefined;
      if (pe === ce) continue;
      indexPath(pa, pb, i);
      diffTerms(pathA, pathB, pe, ce);
    }
    if (p.length !== c.length) {
      nodeTerm(pa, pb, p.length, -1);
      nodeTerm(pa, pb, c.length, 1);
    }
    return;
  }
  if (isRecord(p) && isRecord(c)) {
    // Members of `c` that `p` has too: as many as `p` has means `p` lost none.
    let kept = 0;
    for (const k in c) {
      const pv = ownMember(p, k);
      if (pv !== undefined) kept += 1;
      const cv = c[k];
      if (pv === cv) continue;
      memberPath(pa, pb, k);
      diffTerms(pathA, pathB, pv, cv);
    }
    let had = 0;
    for (const k in p) if (p[k] !== undefined) had += 1;
    if (had === kept) return;
    for (const k in p) {
      if (Object.hasOwn(c, k)) continue;
      memberPath(pa, pb, k);
      valueTerms(pathA, pathB, p[k], -1);
    }
    return;
  }
  valueTerms(pa, pb, p, -1);
  valueTerms(pa, pb, c, 1);
}

const ROOT_A = 0x3c6ef372;
const ROOT_B = 0xa54ff53a | 0;

/** The sum of every term of World `w` (the initial state; successors use worldSumAfter). */
export function worldSum(w: World): WorldSum {
  sumA = 0;
  sumB = 0;
  valueTerms(ROOT_A, ROOT_B, w, 1);
  return { a: sumA, b: sumB };
}

/** worldSum(child), from its parent's sum. Exact because what the two share is never written (cow.ts). */
export function worldSumAfter(parent: World, sum: WorldSum, child: World): WorldSum {
  sumA = sum.a;
  sumB = sum.b;
  diffTerms(ROOT_A, ROOT_B, parent, child);
  return { a: sumA, b: sumB };
}

/** The key of a World, from its sum. */
export function keyOfSum(s: WorldSum): StateKey {
  return { hi: fmix(step(s.a, 0x299f31d0)) >>> 0, lo: fmix(step(s.b, 0x082efa98)) >>> 0 };
}

/** The key of a World alone (final states, the shortest-trace search). */
export function worldKey(w: World): StateKey {
  return keyOfSum(worldSum(w));
}

/**
 * The key of a search state: the World's key plus the set of flag-severity invariants already
 * violated on the path (a bit mask), so that "reached cleanly" and "reached after a violation" stay
 * apart. With no violation it is the World's key.
 */
export function searchKey(world: StateKey, mask: number): StateKey {
  if (mask === 0) return world;
  return {
    hi: fmix(step(world.hi, mask ^ 0x452821e6)) >>> 0,
    lo: fmix(step(world.lo, Math.imul(mask, 0x38d01377))) >>> 0,
  };
}

/** A key as a string, for small exact sets (the DFS stack). */
export function keyString(k: StateKey): string {
  return `${k.hi.toString(16)}:${k.lo.toString(16)}`;
}
