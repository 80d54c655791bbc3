import type { Bio, Dio, OwnBio, OwnDio } from '../include/blk_types.js';
import type { File, OwnFile } from '../include/fs.js';
import {
  copyVma,
  type Folio,
  type Mm,
  type OwnFolio,
  type OwnMm,
  type OwnSwapSlot,
  type SwapSlot,
} from '../include/mm_types.js';
import { fresh } from '../include/own.js';
import type { OwnPipe, Pipe } from '../include/pipe_fs_i.js';
import type { OwnSkb, Skb } from '../include/skbuff.js';
import { bug, type ActorState, type OwnActor, type World } from './world.js';

/**
 * Copy-on-write Worlds, so a step copies what it touches and not the whole machine.
 *
 * A sealed World is shared: the checker stores it and its successors share its arrays and their
 * elements (the folios, mms, files, swap slots, actors, bios, dios, pipes and io_uring buffers). A step
 * works on a Draft: a new World object sharing the parent's arrays, whose elements stay the parent's
 * until a write accessor (ownFolio, ownMm, ...) swaps in a private copy (COPY); a draft gets an array
 * of its own only through ownArray. An element is shared while it is the one at the same index of the
 * World the draft came from; the draft's copies and the elements it made are its own. Reading needs
 * no copy: the read accessors (folioOf, ...) and the World's arrays give the element as it is.
 *
 * The types keep this: a World is readonly all the way down, only a Draft has write accessors, and
 * only their results (Own<...>) have writable members. Nothing is frozen at run time: a frozen object
 * is copied on V8's slow path, and freezing cost a sixth of the checker's time. debugCow(true) checks
 * what the types cannot (a cast): sealing then freezes the World, its own arrays and every new element
 * all the way down, and a write into them throws. The test suite runs so, as a debug kernel runs with
 * CONFIG_DEBUG_VM.
 */

/** The World a draft was made from, until the draft is sealed. Not enumerable by for-in or JSON. */
const PARENT: unique symbol = Symbol('draft parent');

/** A World being built (parent null) or a draft (its parent); a sealed World has no PARENT. */
interface Linked extends World {
  [PARENT]?: World | null | undefined;
}

/** Brand of a Draft (types only). */
declare const DRAFT: unique symbol;

/**
 * A World a step is changing: its own members may be replaced, and its elements written through the
 * write accessors. Model functions that change state take a Draft; predicates take a World.
 */
export type Draft = { -readonly [K in keyof World]: World[K] } & { readonly [DRAFT]: true };

/**
 * The World's arrays whose elements a step may write. They only grow, so an element's index is its
 * identity for ownElement. Not `uring`: io_buffer_unmap() splices a buffer out, shifting the others,
 * and a registered buffer is never changed, only added or removed.
 */
type ElementKey = Exclude<ElementArrayKey, 'uring'>;

/** The type of a step's own copy of each kind of element. */
interface OwnOf {
  folios: OwnFolio;
  mms: OwnMm;
  files: OwnFile;
  swap: OwnSwapSlot;
  actors: OwnActor;
  bios: OwnBio;
  dios: OwnDio;
  pipes: OwnPipe;
  skbs: OwnSkb;
}

/**
 * A step's private copy of an element: the element, and a copy of each member its Own type makes
 * writable that is an array (members replaced whole, a Pte, flags, an owner, a Grab, are shared until
 * replaced, and the state key's diff skips them as unchanged). Each copy is an object literal with the
 * members in their declaration order, as the model's constructors write them, so every folio (every
 * VMA, ...) has one V8 shape: a spread copy gets a shape of its own, and the model's property reads
 * went polymorphic. test/model/core/cow.test.ts holds each copier to its element's members and order.
 */
const COPY: { readonly [K in ElementKey]: (el: World[K][number]) => OwnOf[K] } = {
  folios: (f) =>
    fresh<Folio, OwnFolio>({
      id: f.id,
      kind: f.kind,
      order: f.order,
      refcount: f.refcount,
      mapcount: f.mapcount,
      pincount: f.pincount,
      flags: f.flags,
      owner: f.owner,
      data: f.data,
      freed: f.freed,
    }),
  mms: (m) =>
    fresh<Mm, OwnMm>({
      id: m.id,
      alive: m.alive,
      hasPinned: m.hasPinned,
      writeProtectSeq: m.writeProtectSeq,
      vmas: m.vmas.map(copyVma),
    }),
  files: (f) =>
    fresh<File, OwnFile>({
      id: f.id,
      name: f.name,
      fs: f.fs,
      cache: f.cache.slice(),
      disk: f.disk.slice(),
      size: f.size,
      integrity: f.integrity,
      stableWrites: f.stableWrites,
      csumBad: f.csumBad.slice(),
      reflinks: f.reflinks.slice(),
      staleCache: f.staleCache.slice(),
    }),
  swap: (s) => fresh<SwapSlot, OwnSwapSlot>({ id: s.id, data: s.data, count: s.count, cache: s.cache }),
  actors: (a) =>
    fresh<ActorState, OwnActor>({
      pc: a.pc,
      phase: a.phase,
      done: a.done,
      regs: a.regs,
      held: a.held,
      locals: a.locals,
    }),
  bios: (b) =>
    fresh<Bio, OwnBio>({
      id: b.id,
      op: b.op,
      bvecs: b.bvecs.slice(),
      file: b.file,
      index: b.index,
      flags: b.flags,
      state: b.state,
      error: b.error,
      endIo: b.endIo,
      dio: b.dio,
      tags: b.tags.slice(),
      data: b.data.slice(),
      bounced: b.bounced,
      parent: b.parent,
      remaining: b.remaining,
    }),
  dios: (d) =>
    fresh<Dio, OwnDio>({
      id: d.id,
      path: d.path,
      op: d.op,
      async: d.async,
      shouldDirty: d.shouldDirty,
      bios: d.bios.slice(),
      pending: d.pending,
      done: d.done,
      ret: d.ret,
      invalidate: d.invalidate,
      actor: d.actor,
      name: d.name,
      mm: d.mm,
      buf: d.buf,
    }),
  pipes: (p) => fresh<Pipe, OwnPipe>({ id: p.id, name: p.name, bufs: p.bufs.slice() }),
  skbs: (s) =>
    fresh<Skb, OwnSkb>({
      id: s.id,
      actor: s.actor,
      name: s.name,
      folio: s.folio,
      wire: s.wire,
      state: s.state,
      received: s.received,
      reaped: s.reaped,
    }),
};

/** Whether sealing freezes new elements all the way down (a debug switch; see above). */
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

/** The World's members that are arrays. */
type ArrayKey = {
  [K in keyof World]: World[K] extends readonly unknown[] ? K : never;
}[keyof World];

/** A World array's type, writable. */
type Writable<A> = A extends readonly (infer T)[] ? T[] : never;

/** The World's members that are arrays of elements (objects), as opposed to arrays of ids. */
type ElementArrayKey = {
  [K in keyof World]: World[K] extends readonly object[] ? K : never;
}[keyof World];

/** Every array of elements, each shared until a step asks for one (the type requires each one here). */
const ELEMENT_ARRAYS = Object.keys({
  folios: 0,
  mms: 0,
  files: 0,
  swap: 0,
  actors: 0,
  bios: 0,
  dios: 0,
  pipes: 0,
  uring: 0,
  skbs: 0,
} satisfies Record<ElementArrayKey, 0>) as readonly ElementArrayKey[];

/** A World's arrays of elements, in ELEMENT_ARRAYS order. */
function elementArrays(w: World): readonly (readonly object[])[] {
  return ELEMENT_ARRAYS.map((k) => w[k]);
}

/** Freeze what `w` does not share with its parent: its own arrays, its new elements all the way down. */
function freezeNew(w: World, parent: World | undefined): void {
  for (const k of Object.keys(w) as (keyof World)[]) {
    const v = w[k];
    if (Array.isArray(v) && (parent === undefined || v !== parent[k])) Object.freeze(v);
  }
  const arrs = elementArrays(w);
  const from = parent === undefined ? null : elementArrays(parent);
  for (let a = 0; a < arrs.length; a++) {
    const arr = arrs[a] as readonly object[];
    const old = from === null ? [] : (from[a] as readonly object[]);
    if (arr === old) continue;
    for (let i = 0; i < arr.length; i++) {
      const el = arr[i] as object;
      if (el !== old[i] && !Object.isFrozen(el)) deepFreeze(el);
    }
  }
}

/**
 * Seal a World for sharing (idempotent): its arrays and elements are shared from now on. Under
 * debugCow the World, its own arrays and its new elements are frozen.
 */
export function sealWorld(w: World): World {
  const d = w as Linked;
  const parent = d[PARENT];
  if (parent === undefined) return w;
  if (deepSeal) freezeNew(w, parent ?? undefined);
  // Drop the link, or every stored World would keep its ancestors alive.
  delete d[PARENT];
  if (deepSeal) Object.freeze(w);
  return w;
}

/** A World object with `p`'s members and `parent` as its draft parent (null while being built). */
function withParent(p: World, parent: World | null): Draft {
  const d: Linked = {
    folios: p.folios,
    mms: p.mms,
    files: p.files,
    swap: p.swap,
    zeroPage: p.zeroPage,
    hugeZeroPage: p.hugeZeroPage,
    processes: p.processes,
    actors: p.actors,
    bios: p.bios,
    dios: p.dios,
    bioDirtyList: p.bioDirtyList,
    pipes: p.pipes,
    uring: p.uring,
    skbs: p.skbs,
    // Last, so that deleting it at sealing takes the object back to the World's shape (V8).
    [PARENT]: parent,
  };
  return d as Draft;
}

/** A World being built from `init` (instantiate): it owns its arrays until it is sealed. */
export function newWorld(init: World): Draft {
  return withParent(init, null);
}

/** A draft successor of `parent` (sealed first): a new World object sharing every array. */
export function draftWorld(parent: World): Draft {
  const p = sealWorld(parent);
  return withParent(p, p);
}

/** The World a draft was made from, or null for a World being built. */
function parentOf(d: Draft): World | null {
  return (d as unknown as Linked)[PARENT] ?? null;
}

/** Draft `d`'s array `key`, writable: an array still shared with its parent is replaced by a copy first. */
export function ownArray<K extends ArrayKey>(d: Draft, key: K): Writable<World[K]> {
  const arr = d[key];
  const parent = parentOf(d);
  if (parent === null || arr !== parent[key]) return arr as Writable<World[K]>;
  const copy = arr.slice() as Writable<World[K]>;
  (d as Record<K, unknown>)[key] = copy;
  return copy;
}

/**
 * Element `i` of draft `d`'s array `key`, to write: an element still shared with the parent is
 * replaced by a private copy first (in the draft's own array); one the draft made or copied is its own.
 */
export function ownElement<K extends ElementKey>(d: Draft, key: K, i: number): OwnOf[K] {
  const el = d[key][i] ?? bug('ownElement', `no element ${i} of ${key}`);
  const parent = parentOf(d);
  if (parent === null || el !== parent[key][i]) return el as OwnOf[K];
  const copy = (COPY[key] as (el: World[K][number]) => OwnOf[K])(el);
  ownArray(d, key)[i] = copy;
  return copy;
}

export function ownFolio(d: Draft, id: number): OwnFolio {
  return ownElement(d, 'folios', id);
}

export function ownMm(d: Draft, id: number): OwnMm {
  return ownElement(d, 'mms', id);
}

export function ownFile(d: Draft, id: number): OwnFile {
  return ownElement(d, 'files', id);
}

export function ownSwapSlot(d: Draft, id: number): OwnSwapSlot {
  return ownElement(d, 'swap', id);
}

export function ownActor(d: Draft, id: number): OwnActor {
  return ownElement(d, 'actors', id);
}

export function ownBio(d: Draft, id: number): OwnBio {
  return ownElement(d, 'bios', id);
}

export function ownDio(d: Draft, id: number): OwnDio {
  return ownElement(d, 'dios', id);
}

export function ownPipe(d: Draft, id: number): OwnPipe {
  return ownElement(d, 'pipes', id);
}

export function ownSkb(d: Draft, id: number): OwnSkb {
  return ownElement(d, 'skbs', id);
}
