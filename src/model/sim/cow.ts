import { clonePlain } from './clone.js';
import type { World } from './world.js';

/**
 * Copy-on-write Worlds, so a step copies what it touches and not the whole machine.
 *
 * A sealed World is frozen; the checker stores it and its successors share its elements (the folios,
 * mms, files, swap slots, actors, bios, dios, pipes and io_uring buffers). A step works on a draft: a
 * new World object with its own top-level arrays whose elements are still the parent's until an
 * accessor (folioOf, mmOf, ...) swaps in a private deep copy. Sealing freezes what the step copied or
 * made. Frozen means shared: a model function that writes through an element it did not get from an
 * accessor throws (ES modules are strict) instead of corrupting a World the checker already holds.
 *
 * Sealing freezes each element's top level only, which is all the accessors need to tell shared from
 * private. A write into a shared element's nested data (a PTE of an mm not taken through mmOf) is
 * caught only with debugCow(true), which freezes whole elements: the test suite runs so, as a debug
 * kernel runs with CONFIG_DEBUG_VM; the checker does not, as freezing deeply cost a sixth of its time.
 */

/** Whether sealing freezes elements all the way down (a debug switch; see above). */
let deepSeal = false;

/** Turn deep freezing of sealed elements on or off (tests turn it on). */
export function debugCow(on: boolean): void {
  deepSeal = on;
}

/** Freeze an object and every unfrozen object under it (a frozen one is frozen all the way down). */
function deepFreeze(v: object): void {
  const rec = v as Record<string, unknown>;
  for (const k in rec) {
    const x = rec[k];
    if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) deepFreeze(x);
  }
  Object.freeze(v);
}

/** A World's arrays of elements, each shared until a step asks for one. */
function elementArrays(w: World): readonly object[][] {
  return [w.folios, w.mms, w.files, w.swap, w.actors, w.bios, w.dios, w.pipes, w.uring];
}

function freeze(el: object): void {
  if (deepSeal) deepFreeze(el);
  else Object.freeze(el);
}

/**
 * Freeze a World for sharing (idempotent). Given the sealed World it was drafted from, only the
 * elements that are not the parent's are looked at: the step's copies and the elements it made.
 */
export function sealWorld(w: World, parent?: World): World {
  if (Object.isFrozen(w)) return w;
  // The arrays themselves stay unfrozen: V8 copies a frozen array on a slow path (draftWorld's slice).
  const arrs = elementArrays(w);
  const from = parent === undefined ? null : elementArrays(parent);
  for (let a = 0; a < arrs.length; a++) {
    const arr = arrs[a] as object[];
    const old = from === null ? [] : (from[a] as object[]);
    for (let i = 0; i < arr.length; i++) {
      const el = arr[i] as object;
      if (el !== old[i] && !Object.isFrozen(el)) freeze(el);
    }
  }
  return Object.freeze(w);
}

/** A draft successor of `parent` (sealed first): own top-level arrays, shared elements. */
export function draftWorld(parent: World): World {
  const p = sealWorld(parent);
  return {
    folios: p.folios.slice(),
    mms: p.mms.slice(),
    files: p.files.slice(),
    swap: p.swap.slice(),
    zeroPage: p.zeroPage,
    hugeZeroPage: p.hugeZeroPage,
    processes: p.processes.slice(),
    actors: p.actors.slice(),
    bios: p.bios.slice(),
    dios: p.dios.slice(),
    bioDirtyList: p.bioDirtyList.slice(),
    pipes: p.pipes.slice(),
    uring: p.uring.slice(),
  };
}

/**
 * Element `i` of one of World `w`'s arrays, writable when the World is a draft: a shared (frozen)
 * element is replaced by a private deep copy first. In a sealed World it is the element itself.
 */
export function ownElement<T extends object>(w: World, arr: T[], i: number): T | undefined {
  const el = arr[i];
  if (el === undefined || !Object.isFrozen(el) || Object.isFrozen(w)) return el;
  const copy = clonePlain(el);
  arr[i] = copy;
  return copy;
}
