/**
 * A set of 64-bit state fingerprints in one typed array: open addressing with linear probing, two
 * Uint32 words per slot, load factor at most 1/2, grown by doubling and rehashing. 8 bytes per slot,
 * so at most 16 bytes per stored state. V8's Set and Map stop at 2^24 entries; this table goes to
 * 2^29 slots (4 GiB), or to the caller's byte limit, and says "full" instead of throwing.
 *
 * The all-zero fingerprint marks an empty slot, so (0, 0) is stored as (0, 1): those two keys are one.
 */

/** 1: newly added; 0: already present; -1: not added, the table would grow past its byte limit. */
export type AddResult = 1 | 0 | -1;

const MAX_SLOTS = 2 ** 29;

/** The low word as stored: (0, 0) marks an empty slot, so it is kept as (0, 1). */
function lowWord(hi: number, lo: number): number {
  return hi === 0 && lo === 0 ? 1 : lo >>> 0;
}

export class FingerprintTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private readonly maxBytes: number;

  /** `initialSlots` is rounded up to a power of two (at least 16). */
  constructor(initialSlots = 1024, maxBytes = Number.POSITIVE_INFINITY) {
    let cap = 16;
    while (cap < initialSlots && cap < MAX_SLOTS) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.count;
  }

  /** Number of slots (each holds one fingerprint). */
  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  has(hi: number, lo: number): boolean {
    const i = this.slotOf(hi >>> 0, lowWord(hi, lo));
    return (this.slots[2 * i] as number) !== 0 || (this.slots[2 * i + 1] as number) !== 0;
  }

  add(hi: number, lo: number): AddResult {
    if ((this.count + 1) * 2 > this.capacity && !this.grow()) {
      if (this.has(hi, lo)) return 0;
      return -1;
    }
    const h = hi >>> 0;
    const l = lowWord(hi, lo);
    const i = this.slotOf(h, l);
    const s = this.slots;
    if ((s[2 * i] as number) !== 0 || (s[2 * i + 1] as number) !== 0) return 0;
    s[2 * i] = h;
    s[2 * i + 1] = l;
    this.count += 1;
    return 1;
  }

  /** The slot holding (h, l), or the empty slot where linear probing for it ends. */
  private slotOf(h: number, l: number): number {
    const s = this.slots;
    let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = s[2 * i] as number;
      const b = s[2 * i + 1] as number;
      if ((a === 0 && b === 0) || (a === h && b === l)) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Double the slots and rehash; false when that would pass the byte limit or the slot limit. */
  private grow(): boolean {
    const cap = this.capacity * 2;
    if (cap > MAX_SLOTS || cap * 8 > this.maxBytes) return false;
    const old = this.slots;
    const s = new Uint32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j] as number;
      const l = old[j + 1] as number;
      if (h === 0 && l === 0) continue;
      let i = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
      while ((s[2 * i] as number) !== 0 || (s[2 * i + 1] as number) !== 0) i = (i + 1) & mask;
      s[2 * i] = h;
      s[2 * i + 1] = l;
    }
    this.slots = s;
    this.mask = mask;
    return true;
  }
}
