import {
  allocated,
  firstCapacity,
  grownCapacity,
  lowWord,
  MAX_SLOTS,
  overloaded,
  rehash,
  slotOf,
  taken,
  type AddResult,
  type FingerprintTable,
  type StateSet,
} from './fingerprint-table.js';

/**
 * FingerprintTable's set shared by the threads of one search (runtime/threads.ts): the same slots and probing,
 * in a growable SharedArrayBuffer that every thread views, behind one spin lock. A thread holds the
 * lock for one probe (tens of nanoseconds against microseconds of model work per state), or while it
 * grows the table in place: the buffer grows, the old slots are copied aside, cleared and rehashed.
 * A length-tracking view sees the new length in every thread, so nothing is sent between threads.
 */

/** What a thread needs to view the table: plain data that crosses to a worker. */
export interface SharedTableBuffers {
  /** Int32 words: the lock, the count of keys, the capacity in slots. */
  readonly words: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  readonly maxBytes: number;
}

const LOCK = 0;
const COUNT = 1;
const CAP = 2;

/** The buffers of a new, empty shared table (`initialSlots` and `maxBytes` as FingerprintTable's). */
export function sharedTableBuffers(initialSlots: number, maxBytes: number): SharedTableBuffers {
  const cap = firstCapacity(initialSlots, maxBytes);
  const limit = Math.min(MAX_SLOTS * 8, Math.floor(maxBytes / 8) * 8);
  const words = new SharedArrayBuffer(12);
  new Int32Array(words)[CAP] = cap;
  return {
    words,
    slots: new SharedArrayBuffer(cap * 8, { maxByteLength: Math.max(limit, cap * 8) }),
    maxBytes,
  };
}

/** The buffers of a shared table holding what `table` holds (a search handed to threads goes on with it). */
export function sharedTableFrom(table: FingerprintTable, maxBytes: number): SharedTableBuffers {
  const b = sharedTableBuffers(table.capacity, maxBytes);
  const words = new Int32Array(b.words);
  table.rehashInto(new Uint32Array(b.slots), words[CAP] as number);
  words[COUNT] = table.size;
  return b;
}

export class SharedFingerprintTable implements StateSet {
  private readonly words: Int32Array;
  private readonly slots: Uint32Array;
  private readonly buffer: SharedArrayBuffer;
  private readonly maxBytes: number;

  constructor(b: SharedTableBuffers) {
    this.words = new Int32Array(b.words);
    this.slots = new Uint32Array(b.slots); // length-tracking: follows every grow
    this.buffer = b.slots;
    this.maxBytes = b.maxBytes;
  }

  get size(): number {
    return Atomics.load(this.words, COUNT);
  }

  get bytes(): number {
    return this.buffer.byteLength;
  }

  has(hi: number, lo: number): boolean {
    this.lock();
    const cap = this.words[CAP] as number;
    const found = taken(this.slots, slotOf(this.slots, cap, hi >>> 0, lowWord(hi, lo)));
    this.unlock();
    return found;
  }

  add(hi: number, lo: number): AddResult {
    this.lock();
    try {
      const count = this.words[COUNT] as number;
      if (overloaded(count, this.words[CAP] as number) && !this.grow()) {
        const cap = this.words[CAP] as number;
        return taken(this.slots, slotOf(this.slots, cap, hi >>> 0, lowWord(hi, lo))) ? 0 : -1;
      }
      const cap = this.words[CAP] as number;
      const h = hi >>> 0;
      const l = lowWord(hi, lo);
      const i = slotOf(this.slots, cap, h, l);
      if (taken(this.slots, i)) return 0;
      this.slots[2 * i] = h;
      this.slots[2 * i + 1] = l;
      Atomics.store(this.words, COUNT, count + 1);
      return 1;
    } finally {
      this.unlock();
    }
  }

  /** Grow in place, the lock held; false when no slot can be added. */
  private grow(): boolean {
    const old = this.words[CAP] as number;
    const cap = grownCapacity(old, this.maxBytes);
    if (cap === old) return false;
    const aside = allocated(() => this.slots.slice(0, old * 2));
    if (aside === null || allocated(() => this.buffer.grow(cap * 8)) === null) return false;
    this.slots.fill(0, 0, old * 2);
    rehash(aside, this.slots, cap);
    this.words[CAP] = cap;
    return true;
  }

  // The lock's compareExchange and store order the slot writes between threads (Atomics are
  // sequentially consistent), so plain reads and writes inside it are safe.
  private lock(): void {
    while (Atomics.compareExchange(this.words, LOCK, 0, 1) !== 0);
  }

  private unlock(): void {
    Atomics.store(this.words, LOCK, 0);
  }
}
