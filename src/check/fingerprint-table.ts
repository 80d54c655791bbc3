/**
 * A set of 64-bit state fingerprints in one typed array: open addressing with linear probing, two
 * Uint32 words per slot (8 bytes), load factor at most 3/4, grown by half again and rehashed. Right
 * after growing the load is 1/2, so a stored state never costs more than 16 bytes (10.7 when full);
 * doubling would have cost up to 21. The home slot is the hash scaled to the capacity (a
 * multiply-shift), so the capacity need not be a power of two. V8's Set and Map stop at 2^24 entries;
 * this table goes to 2^29 slots (4 GiB), or to the caller's byte limit, and says "full" instead of
 * throwing.
 *
 * The all-zero fingerprint marks an empty slot, so (0, 0) is stored as (0, 1): those two keys are one.
 */

/** 1: newly added; 0: already present; -1: not added, the table would grow past its byte limit. */
export type AddResult = 1 | 0 | -1;

/** A set of state fingerprints as a search sees it: this file's table, or one shared by threads. */
export interface StateSet {
  has(hi: number, lo: number): boolean;
  add(hi: number, lo: number): AddResult;
  readonly size: number;
  /** Bytes of its slots. */
  readonly bytes: number;
}

export const MAX_SLOTS = 2 ** 29;

/** The low word as stored: (0, 0) marks an empty slot, so it is kept as (0, 1). */
export function lowWord(hi: number, lo: number): number {
  return hi === 0 && lo === 0 ? 1 : lo >>> 0;
}

/** The home slot of (h, l) among `cap` slots: the mixed key's 32 bits scaled to [0, cap). */
function homeSlot(h: number, l: number, cap: number): number {
  return Math.floor(((l ^ Math.imul(h, 0x9e3779b1)) >>> 0) * (cap / 4294967296));
}

/** The slot of `s` (`cap` slots) holding (h, l), or the empty slot where linear probing for it ends. */
export function slotOf(s: Uint32Array, cap: number, h: number, l: number): number {
  let i = homeSlot(h, l, cap);
  for (;;) {
    const a = s[2 * i] as number;
    const b = s[2 * i + 1] as number;
    if ((a === 0 && b === 0) || (a === h && b === l)) return i;
    i = i + 1 === cap ? 0 : i + 1;
  }
}

/** Whether slot `i` of `s` is taken. */
export function taken(s: Uint32Array, i: number): boolean {
  return (s[2 * i] as number) !== 0 || (s[2 * i + 1] as number) !== 0;
}

/** What `make` allocates, or null when the allocation fails (a RangeError: no memory for it). */
export function allocated<T>(make: () => T): T | null {
  try {
    return make();
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** The bytes a table needs to hold `keys` keys within its load factor (8 bytes a slot). */
export function bytesFor(keys: number): number {
  return 8 * (Math.ceil(((keys + 1) * 4) / 3) + 16);
}

/** Whether one more key would pass the load factor of 3/4. */
export function overloaded(count: number, cap: number): boolean {
  return (count + 1) * 4 > cap * 3;
}

/** The capacity after growing `cap` by half again within the limits, or `cap` when none is left. */
export function grownCapacity(cap: number, maxBytes: number): number {
  return Math.max(cap, Math.min(Math.floor(cap * 1.5), MAX_SLOTS, Math.floor(maxBytes / 8)));
}

/** The first capacity: at least 16 slots, at most what `maxBytes` allows. */
export function firstCapacity(initialSlots: number, maxBytes: number): number {
  return Math.max(16, Math.min(initialSlots, MAX_SLOTS, Math.floor(maxBytes / 8)));
}

/** Put every key of `old` into the empty `s` of `cap` slots. */
export function rehash(old: Uint32Array, s: Uint32Array, cap: number): void {
  for (let j = 0; j < old.length; j += 2) {
    const h = old[j] as number;
    const l = old[j + 1] as number;
    if (h === 0 && l === 0) continue;
    let i = homeSlot(h, l, cap);
    while (taken(s, i)) i = i + 1 === cap ? 0 : i + 1;
    s[2 * i] = h;
    s[2 * i + 1] = l;
  }
}

export class FingerprintTable implements StateSet {
  private slots: Uint32Array;
  private cap: number;
  private count = 0;
  private readonly maxBytes: number;

  /** `initialSlots`: at least 16, at most what `maxBytes` allows. */
  constructor(initialSlots = 1024, maxBytes = Number.POSITIVE_INFINITY) {
    this.cap = firstCapacity(initialSlots, maxBytes);
    this.slots = new Uint32Array(this.cap * 2);
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.count;
  }

  /** Number of slots (each holds one fingerprint). */
  get capacity(): number {
    return this.cap;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  has(hi: number, lo: number): boolean {
    return taken(this.slots, slotOf(this.slots, this.cap, hi >>> 0, lowWord(hi, lo)));
  }

  add(hi: number, lo: number): AddResult {
    if (overloaded(this.count, this.cap) && !this.grow()) return this.has(hi, lo) ? 0 : -1;
    const h = hi >>> 0;
    const l = lowWord(hi, lo);
    const s = this.slots;
    const i = slotOf(s, this.cap, h, l);
    if (taken(s, i)) return 0;
    s[2 * i] = h;
    s[2 * i + 1] = l;
    this.count += 1;
    return 1;
  }

  /** Put every key into the empty `s` of `cap` slots (at least as many as it holds). */
  rehashInto(s: Uint32Array, cap: number): void {
    rehash(this.slots, s, cap);
  }

  /**
   * Grow by half again (less near the limits) and rehash; false when no slot can be added, or the
   * memory for the new slots cannot be had (a `ulimit -v`): the search ends on its memory bound.
   */
  private grow(): boolean {
    const cap = grownCapacity(this.cap, this.maxBytes);
    if (cap === this.cap) return false;
    const s = allocated(() => new Uint32Array(cap * 2));
    if (s === null) return false;
    rehash(this.slots, s, cap);
    this.slots = s;
    this.cap = cap;
    return true;
  }
}
