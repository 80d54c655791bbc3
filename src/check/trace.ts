import type { Folio, FolioFlags, FolioKind, Pte } from '../model/include/mm_types.js';
import type { Bio } from '../model/include/blk_types.js';
import type { Invariant, Violation } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { KernelProfile } from '../model/profile/profiles.js';
import { functionName } from '../model/profile/names.js';
import type { ModelEvent } from '../model/core/events.js';
import type { Program } from '../model/engine/program.js';
import { applyTransition, enabledTransitions, quiescent, type Transition } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';
import { stepViolations } from './invariants.js';

/** A folio's counters and state at one moment, as a trace shows them. */
export interface FolioCounters {
  readonly id: number;
  readonly kind: FolioKind;
  readonly order: number;
  readonly refcount: number;
  readonly mapcount: number;
  readonly pincount: number;
  readonly flags: FolioFlags;
  readonly data: string;
  readonly freed: boolean;
}

/** A folio the step touched: its counters before (null if the step allocated it) and after. */
export interface FolioChange {
  readonly id: number;
  readonly before: FolioCounters | null;
  readonly after: FolioCounters | null;
}

/** One numbered step of an interleaving. */
export interface TraceStep {
  /** 1-based position in the trace. */
  readonly step: number;
  readonly actor: number;
  readonly actorName: string;
  readonly choice: number;
  /** Which operation of the actor (its index) and which kind. */
  readonly pc: number;
  readonly op: string;
  /** The kernel function the step models, and the functions it ran, as the profile's release names them. */
  readonly fn: string;
  readonly calls: readonly string[];
  readonly ret: number | null;
  readonly folios: readonly FolioChange[];
  readonly events: readonly ModelEvent[];
  /** Every violation of the step, in the invariants' order. */
  readonly violations: readonly Violation[];
  /** The traced folios and every process's page-table entries after the step. */
  readonly state: TraceState;
}

/** One of a process's buffers (a VMA) and the entry that maps it. */
export interface BufferPte {
  readonly buffer: string;
  readonly pte: Pte;
}

/** A scenario process's buffers: `mm` is null before the fork that creates it; `alive` false after exit. */
export interface ProcessPtes {
  readonly process: string;
  readonly mm: number | null;
  readonly alive: boolean;
  readonly buffers: readonly BufferPte[];
}

/** Who runs steps: a scenario thread (in its process) or a kernel agent, by its scheduler index. */
export interface TraceActor {
  readonly actor: number;
  readonly name: string;
  readonly kind: 'thread' | 'agent';
  readonly process: string | null;
}

/**
 * The machine as a reader of a trace sees it at one moment: the counters of every folio the trace
 * touches or maps (those that exist then, by id), and every process's page-table entries. A step's
 * `folios` lists only what its kernel function names; this is the whole picture.
 */
/** A bio as a trace shows it: where it is in its life and how its pages are held and released. */
export interface TraceBio {
  readonly id: number;
  readonly op: string;
  readonly state: string;
  /** bi_flags by the model's names (noPageRef is BIO_NO_PAGE_REF, pagePinned BIO_PAGE_PINNED, ...). */
  readonly flags: Readonly<Record<string, boolean>>;
  /** Each bvec's folio and how it was grabbed (a reference, a pin, or neither). */
  readonly pages: readonly TracePage[];
  readonly dio: number | null;
}

/** A direct-I/O control block: its bios, how many are still pending, and its result. */
export interface TraceDio {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly op: string;
  readonly async: boolean;
  readonly bios: readonly number[];
  readonly pending: number;
  readonly done: boolean;
  readonly ret: number | null;
}

/** A grabbed page: its folio and how it was grabbed (a reference, a pin, or neither). */
export interface TracePage {
  readonly folio: number;
  readonly grab: string;
}

export interface TracePipe {
  readonly id: number;
  readonly name: string;
  readonly bufs: readonly TracePage[];
}

/** An io_uring registered buffer: its index, its pages and how they are held. */
export interface TraceUringBuf {
  readonly index: number;
  readonly folios: readonly number[];
  readonly grab: string;
}

/** A page of a file's page cache: its index, its folio and the folio's set flags (dirty, writeback, ...). */
export interface TraceCachePage {
  readonly index: number;
  readonly folio: number;
  readonly flags: readonly string[];
}

/** A scenario file: its page cache (with each page's writeback state) and what is on disk. */
export interface TraceInode {
  readonly id: number;
  readonly name: string;
  readonly fs: string;
  readonly cache: readonly TraceCachePage[];
  readonly disk: readonly string[];
  readonly stableWrites: boolean;
}

/** A swap slot: its contents, its swap count, and the folio still in the swap cache for it. */
export interface TraceSwapSlot {
  readonly id: number;
  readonly data: string;
  readonly count: number;
  readonly cache: number | null;
}

/** An actor's registers and the grabs it holds past an operation (references or pins, by name). */
export interface TraceHolds {
  readonly actor: number;
  readonly regs: Readonly<Record<string, string>>;
  readonly grabs: readonly {
    readonly name: string;
    readonly folios: readonly number[];
    readonly mode: string;
  }[];
}

export interface TraceState {
  readonly folios: readonly FolioCounters[];
  readonly ptes: readonly ProcessPtes[];
  readonly bios: readonly TraceBio[];
  readonly dios: readonly TraceDio[];
  readonly pipes: readonly TracePipe[];
  readonly uring: readonly TraceUringBuf[];
  readonly files: readonly TraceInode[];
  readonly swap: readonly TraceSwapSlot[];
  readonly holds: readonly TraceHolds[];
}

/** How a trace ends: in a final state, a deadlock, with a violating step, or (replay) elsewhere. */
export type TraceEnd = 'quiescent' | 'deadlock' | 'violation' | 'running';

export interface Trace {
  /** The replay token: `pinlab replay TOKEN` runs exactly these steps. */
  readonly token: string;
  readonly end: TraceEnd;
  readonly steps: readonly TraceStep[];
  readonly actors: readonly TraceActor[];
  /** The state before the first step. */
  readonly initial: TraceState;
}

/** An actor's name, or a kernel agent's kind (agents are numbered after the program's actors). */
export function actorName(program: Program, actor: number): string {
  return program.actors[actor]?.name ?? program.agents?.[actor - program.actors.length] ?? `#${actor}`;
}

/** The program's threads, then its kernel agents, in scheduler order. */
export function traceActors(program: Program): TraceActor[] {
  const threads = program.actors.map((a, i): TraceActor => ({
    actor: i,
    name: a.name,
    kind: 'thread',
    process: program.processes[a.process]?.name ?? null,
  }));
  const agents = (program.agents ?? []).map((kind, i): TraceActor => ({
    actor: program.actors.length + i,
    name: kind,
    kind: 'agent',
    process: null,
  }));
  return [...threads, ...agents];
}

/** Every scenario process's buffers and their page-table entries in `world`. */
export function processPtes(program: Program, world: World): ProcessPtes[] {
  return program.processes.map((p, slot) => {
    const id = world.processes[slot] ?? null;
    const mm = id === null ? undefined : world.mms[id];
    return {
      process: p.name,
      mm: id,
      alive: mm?.alive ?? false,
      buffers: (mm?.vmas ?? []).map((v) => ({ buffer: v.name, pte: v.pte })),
    };
  });
}

/** The folio ids a run's steps touch or its page tables map at any moment, ascending. */
function tracedFolios(program: Program, worlds: readonly World[], changes: readonly FolioChange[]): number[] {
  const ids = new Set(changes.map((c) => c.id));
  for (const w of worlds)
    for (const p of processPtes(program, w))
      for (const b of p.buffers) if (b.pte.kind === 'present') ids.add(b.pte.folio);
  return [...ids].sort((x, y) => x - y);
}

function traceState(program: Program, world: World, ids: readonly number[]): TraceState {
  return {
    folios: ids.flatMap((id) => {
      const f = world.folios[id];
      return f ? [folioCounters(f)] : [];
    }),
    ptes: processPtes(program, world),
    bios: world.bios.map(traceBio),
    dios: world.dios.map((d): TraceDio => ({
      id: d.id,
      name: d.name,
      path: d.path,
      op: d.op,
      async: d.async,
      bios: [...d.bios],
      pending: d.pending,
      done: d.done,
      ret: d.ret,
    })),
    pipes: world.pipes.map((p): TracePipe => ({ id: p.id, name: p.name, bufs: p.bufs.map(tracePage) })),
    uring: world.uring.map((u): TraceUringBuf => ({ index: u.index, folios: [...u.folios], grab: u.grab })),
    files: world.files.map((f): TraceInode => ({
      id: f.id,
      name: f.name,
      fs: f.fs,
      cache: f.cache.flatMap((folio, index) => (folio === null ? [] : [cachePage(world, index, folio)])),
      disk: [...f.disk],
      stableWrites: f.stableWrites,
    })),
    swap: world.swap.map((s): TraceSwapSlot => ({ id: s.id, data: s.data, count: s.count, cache: s.cache })),
    holds: world.actors.map((a, actor): TraceHolds => ({
      actor,
      regs: { ...a.regs },
      grabs: Object.entries(a.held).map(([name, g]) => ({ name, folios: [...g.folios], mode: g.mode })),
    })),
  };
}

function cachePage(world: World, index: number, folio: number): TraceCachePage {
  const f = world.folios[folio];
  const flags = f ? Object.entries(f.flags).filter(([, on]) => on) : [];
  return { index, folio, flags: flags.map(([name]) => name) };
}

function tracePage(v: { readonly folio: number; readonly grab: string }): TracePage {
  return { folio: v.folio, grab: v.grab };
}

function traceBio(b: Bio): TraceBio {
  return {
    id: b.id,
    op: b.op,
    state: b.state,
    flags: { ...b.flags },
    pages: b.bvecs.map(tracePage),
    dio: b.dio,
  };
}

export function folioCounters(f: Folio): FolioCounters {
  return {
    id: f.id,
    kind: f.kind,
    order: f.order,
    refcount: f.refcount,
    mapcount: f.mapcount,
    pincount: f.pincount,
    flags: { ...f.flags },
    data: f.data,
    freed: f.freed,
  };
}

export interface StepsRun {
  readonly steps: TraceStep[];
  readonly actors: TraceActor[];
  readonly initial: TraceState;
  readonly world: World;
  /** Index (0-based) of the first transition that was not enabled, or null when all ran. */
  readonly notEnabledAt: number | null;
}

/**
 * Run `transitions` from `initial` on `profile`, recording each step: the trace steps of an
 * interleaving, each function by the name it has on the profile's release or series (model/profile/names.ts).
 * Stops at the first transition that is not enabled (a bad replay token).
 */
export function runSteps(
  program: Program,
  profile: Pick<KernelProfile, 'release' | 'policies' | 'names'>,
  initial: World,
  transitions: readonly Transition[],
  invariants: readonly Invariant[],
): StepsRun {
  const { policies } = profile;
  const named = (fn: string): string => functionName(profile, fn);
  const worlds: World[] = [initial];
  const steps: Omit<TraceStep, 'state'>[] = [];
  let notEnabledAt: number | null = null;
  for (let i = 0; i < transitions.length; i++) {
    const world = worlds[i] as World;
    const t = transitions[i] as Transition;
    const ok = enabledTransitions(program, policies, world).some(
      (e) => e.actor === t.actor && e.choice === t.choice,
    );
    if (!ok) {
      notEnabledAt = i;
      break;
    }
    const r = applyTransition(program, policies, world, t);
    // The step's own folios, plus any other folio whose counters it changed (do_wp_page() names the
    // copy, not the page it unmapped).
    const own = [...r.label.folios, ...r.events.map((e) => e.folio)];
    const changed = r.world.folios.filter((f) => !sameCounters(world.folios[f.id], f)).map((f) => f.id);
    const ids = [...new Set([...own, ...changed])];
    const folios = ids.map((id) => {
      const b = world.folios[id];
      const a = r.world.folios[id];
      return { id, before: b ? folioCounters(b) : null, after: a ? folioCounters(a) : null };
    });
    const violations = (stepViolations(invariants, program, policies, r) ?? []).map((f) => f.violation);
    steps.push({
      step: i + 1,
      actor: t.actor,
      actorName: actorName(program, t.actor),
      choice: t.choice,
      pc: r.label.pc,
      op: r.label.op,
      fn: named(r.label.fn),
      calls: r.label.calls.map(named),
      ret: r.label.ret,
      folios,
      events: r.events,
      violations,
    });
    worlds.push(r.world);
  }
  const ids = tracedFolios(
    program,
    worlds,
    steps.flatMap((s) => s.folios),
  );
  return {
    steps: steps.map((s, i) => ({ ...s, state: traceState(program, worlds[i + 1] as World, ids) })),
    actors: traceActors(program),
    initial: traceState(program, initial, ids),
    world: worlds[worlds.length - 1] as World,
    notEnabledAt,
  };
}

function sameCounters(a: Folio | undefined, b: Folio): boolean {
  return a !== undefined && JSON.stringify(folioCounters(a)) === JSON.stringify(folioCounters(b));
}

/** How a World ends a trace. */
export function endOf(program: Program, policies: Policies, world: World): TraceEnd {
  if (enabledTransitions(program, policies, world).length > 0) return 'running';
  return quiescent(program, world, policies) ? 'quiescent' : 'deadlock';
}
