import type { Bio, Dio } from '../include/blk_types.js';
import type { File } from '../include/fs.js';
import type { UringBuf } from '../include/io_uring_types.js';
import type { Folio, Mm, SwapSlot } from '../include/mm_types.js';
import type { Own } from '../include/own.js';
import type { Pipe } from '../include/pipe_fs_i.js';
import type { Skb } from '../include/skbuff.js';

/** A value an actor keeps between its steps and operations (registers, grabbed pages, in-flight state). */
export type Local = string | number | boolean | null | readonly number[];

/** How a holder grabbed its folios: a FOLL_GET reference, a FOLL_PIN pin, or nothing (only listed). */
export type GrabMode = 'get' | 'pin' | 'none';

/** Folios an actor holds under a name (`gup pin buf as h`), and how they were grabbed. */
export interface Grab {
  readonly folios: readonly number[];
  readonly mode: GrabMode;
}

/**
 * An actor's progress: which operation (`pc`), which atomic step of it (`phase`), and its locals.
 * Plain data, so a World can be hashed, copied and replayed. Its three records are replaced, never
 * written (setReg, setLocal, hold, unhold): a step's copy of the actor shares them with the parent's
 * until it changes one, so copying an actor at every step costs no record, and the state key's diff
 * skips the records the step left alone.
 */
export interface ActorState {
  readonly pc: number;
  readonly phase: number;
  readonly done: boolean;
  /** Values read by the actor (herd's registers), for the scenario's conditions. */
  readonly regs: Readonly<Record<string, string>>;
  /** Grabs that outlive an operation, by name. */
  readonly held: Readonly<Record<string, Grab>>;
  /** The current operation's locals; reset when it ends. */
  readonly locals: Readonly<Record<string, Local>>;
}

/** A step's own copy of an actor (ownActor). */
export type OwnActor = Own<ActorState, 'pc' | 'phase' | 'done' | 'regs' | 'held' | 'locals'>;

/** Set register `name` of a step's copy of an actor. */
export function setReg(st: OwnActor, name: string, value: string): void {
  st.regs = { ...st.regs, [name]: value };
}

/** Set local `name` of a step's copy of an actor. */
export function setLocal<L extends Readonly<Record<string, Local>>, K extends keyof L & string>(
  st: OwnActor,
  name: K,
  value: L[K],
): void {
  st.locals = { ...st.locals, [name]: value };
}

/** Keep `grab` under `name` past the operation. */
export function hold(st: OwnActor, name: string, grab: Grab): void {
  st.held = { ...st.held, [name]: grab };
}

/** Forget the grab held under `name`. */
export function unhold(st: OwnActor, name: string): void {
  const rest: Record<string, Grab> = {};
  for (const k in st.held) if (k !== name) rest[k] = st.held[k] as Grab;
  st.held = rest;
}

/**
 * The whole machine state. Plain data: no classes, no functions. Readonly all the way down: a step
 * changes a draft of it (cow.ts), writing only into elements it owns (ownFolio, ...).
 */
export interface World {
  readonly folios: readonly Folio[];
  readonly mms: readonly Mm[];
  readonly files: readonly File[];
  readonly swap: readonly SwapSlot[];
  /** Folio ids of the shared zero page and the huge zero page (never freed). */
  readonly zeroPage: number;
  readonly hugeZeroPage: number;
  /** The scenario's processes: slot -> mm id, or null before the fork that creates it. */
  readonly processes: readonly (number | null)[];
  readonly actors: readonly ActorState[];
  /** Every bio ever allocated, by id (bio_put leaves it in state 'put'). The device queue is the in-flight ones. */
  readonly bios: readonly Bio[];
  /** Direct-I/O requests (struct blkdev_dio / iomap_dio / dio), by id. */
  readonly dios: readonly Dio[];
  /** bio_dirty_list: bios waiting for the deferred bio_dirty_fn work item, oldest first. */
  readonly bioDirtyList: readonly number[];
  /** The program's pipes, by index. */
  readonly pipes: readonly Pipe[];
  /** io_uring registered buffers (one ring per program). */
  readonly uring: readonly UringBuf[];
  /** The skbs of MSG_ZEROCOPY and copying sends on the program's socket, by id (never removed). */
  readonly skbs: readonly Skb[];
}

export function newActorState(): ActorState {
  return { pc: 0, phase: 0, done: false, regs: {}, held: {}, locals: {} };
}

/** Model bug (cannot happen for any input): fail loudly with the function that found it. */
export function bug(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

/** Element `id` of a World array, to read: it may still be shared with other Worlds (never copies). */
function elementOf<E>(arr: readonly E[], where: string, id: number): E {
  return arr[id] ?? bug(where, `no element ${id}`);
}

export function folioOf(w: World, id: number): Folio {
  return elementOf(w.folios, 'folioOf', id);
}

export function mmOf(w: World, id: number): Mm {
  return elementOf(w.mms, 'mmOf', id);
}

export function fileOf(w: World, id: number): File {
  return elementOf(w.files, 'fileOf', id);
}

export function bioOf(w: World, id: number): Bio {
  return elementOf(w.bios, 'bioOf', id);
}

export function dioOf(w: World, id: number): Dio {
  return elementOf(w.dios, 'dioOf', id);
}

export function actorOf(w: World, id: number): ActorState {
  return elementOf(w.actors, 'actorOf', id);
}

export function skbOf(w: World, id: number): Skb {
  return elementOf(w.skbs, 'skbOf', id);
}
