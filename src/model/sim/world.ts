import type { Bio, Dio } from '../include/blk_types.js';
import type { File } from '../include/fs.js';
import type { UringBuf } from '../include/io_uring_types.js';
import type { Folio, Mm, SwapSlot } from '../include/mm_types.js';
import type { Pipe } from '../include/pipe_fs_i.js';
import { ownElement } from './cow.js';

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
  pc: number;
  phase: number;
  done: boolean;
  /** Values read by the actor (herd's registers), for the scenario's conditions. */
  regs: Readonly<Record<string, string>>;
  /** Grabs that outlive an operation, by name. */
  held: Readonly<Record<string, Grab>>;
  /** The current operation's locals; reset when it ends. */
  locals: Readonly<Record<string, Local>>;
}

/** Set register `name` of a step's copy of an actor. */
export function setReg(st: ActorState, name: string, value: string): void {
  st.regs = { ...st.regs, [name]: value };
}

/** Set local `name` of a step's copy of an actor. */
export function setLocal(st: ActorState, name: string, value: Local): void {
  st.locals = { ...st.locals, [name]: value };
}

/** Keep `grab` under `name` past the operation. */
export function hold(st: ActorState, name: string, grab: Grab): void {
  st.held = { ...st.held, [name]: grab };
}

/** Forget the grab held under `name`. */
export function unhold(st: ActorState, name: string): void {
  const rest: Record<string, Grab> = {};
  for (const k in st.held) if (k !== name) rest[k] = st.held[k] as Grab;
  st.held = rest;
}

/** The whole machine state. Plain data: no classes, no functions, no shared references. */
export interface World {
  folios: readonly Folio[];
  mms: readonly Mm[];
  files: readonly File[];
  swap: readonly SwapSlot[];
  /** Folio ids of the shared zero page and the huge zero page (never freed). */
  zeroPage: number;
  hugeZeroPage: number;
  /** The scenario's processes: slot -> mm id, or null before the fork that creates it. */
  processes: readonly (number | null)[];
  actors: readonly ActorState[];
  /** Every bio ever allocated, by id (bio_put leaves it in state 'put'). The device queue is the in-flight ones. */
  bios: readonly Bio[];
  /** Direct-I/O requests (struct blkdev_dio / iomap_dio / dio), by id. */
  dios: readonly Dio[];
  /** bio_dirty_list: bios waiting for the deferred bio_dirty_fn work item, oldest first. */
  bioDirtyList: readonly number[];
  /** The program's pipes, by index. */
  pipes: readonly Pipe[];
  /** io_uring registered buffers (one ring per program). */
  uring: readonly UringBuf[];
}

export function newActorState(): ActorState {
  return { pc: 0, phase: 0, done: false, regs: {}, held: {}, locals: {} };
}

/** Model bug (cannot happen for any input): fail loudly with the function that found it. */
export function bug(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

export function folioOf(w: World, id: number): Folio {
  return ownElement(w, 'folios', id) ?? bug('folioOf', `no folio ${id}`);
}

export function mmOf(w: World, id: number): Mm {
  return ownElement(w, 'mms', id) ?? bug('mmOf', `no mm ${id}`);
}

export function fileOf(w: World, id: number): File {
  return ownElement(w, 'files', id) ?? bug('fileOf', `no file ${id}`);
}

export function bioOf(w: World, id: number): Bio {
  return ownElement(w, 'bios', id) ?? bug('bioOf', `no bio ${id}`);
}

export function dioOf(w: World, id: number): Dio {
  return ownElement(w, 'dios', id) ?? bug('dioOf', `no dio ${id}`);
}

export function actorOf(w: World, id: number): ActorState {
  return ownElement(w, 'actors', id) ?? bug('actorOf', `no actor ${id}`);
}
