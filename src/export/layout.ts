import { propExprs } from '../check/condition.js';
import type { Op } from '../model/ops/index.js';
import type { Program } from '../model/engine/program.js';
import type { Scenario } from '../scenario/index.js';
import { kernelActorNeed } from './kernel-actor.js';

/**
 * Where an exported program keeps each name of the scenario: register, reference and async-I/O slots
 * per (actor, name), the data tokens as pattern numbers, the buffers of the initial process and the
 * final observations the conditions read (`P:buf`, `disk:f[0]`).
 */
export interface Layout {
  /** `actor:name` -> slot in the shared register array. */
  readonly regs: ReadonlyMap<string, number>;
  /** `actor:name` -> handle slot and what holds it. */
  readonly handles: ReadonlyMap<string, Handle>;
  /** `actor:name` -> async O_DIRECT slot. */
  readonly ios: ReadonlyMap<string, number>;
  /** `actor:name` of the async O_DIRECT slots the pinlab_grab module runs (kernel iterators). */
  readonly kernelIos: ReadonlySet<string>;
  /** io_uring registered-buffer slots: one ring each. */
  readonly slots: number;
  /** Data tokens, "0" (the zero page) first. */
  readonly tokens: readonly string[];
  /** Buffer name -> index in the initial process's mappings (forked processes inherit them). */
  readonly bufs: ReadonlyMap<string, number>;
  /** `P:buf` observations, in slot order. */
  readonly mems: readonly { readonly process: number; readonly buf: string }[];
  /** `disk:f[N]` observations, in slot order. */
  readonly disks: readonly { readonly file: number; readonly page: number }[];
}

/**
 * A held page: a grab the process holds itself (`get`: a pipe's vmsplice reference, `pin`: an io_uring
 * registration), or one the pinlab_grab module holds in its slot `index` (`kernel`: a GUP grab or a
 * kalloc'd page).
 */
export interface Handle {
  readonly index: number;
  readonly mode: 'get' | 'pin' | 'kernel';
}

/** Every op in program order: setup first (with its actor), then each actor's. */
export function allOps(program: Program): { readonly actor: number; readonly op: Op }[] {
  return [
    ...program.setup.map(([actor, op]) => ({ actor, op })),
    ...program.actors.flatMap((a, actor) => a.ops.map((op) => ({ actor, op }))),
  ];
}

/** The register an op sets, if any. */
export function regOf(op: Op): string | null {
  switch (op.op) {
    case 'read':
    case 'pread':
    case 'pipe-read':
    case 'peek':
    case 'uring-register':
    case 'recv':
    case 'errqueue':
      return op.reg;
    case 'gup':
    case 'dio':
    case 'await':
    case 'uring-rw':
    case 'send':
    case 'kernel-aio':
    case 'remap':
    case 'sg-io':
      return op.as;
    case 'write':
    case 'touch':
    case 'fork':
    case 'exit':
    case 'wait':
    case 'munmap':
    case 'mprotect':
    case 'madvise':
    case 'split-pmd':
    case 'release':
    case 'try-get':
    case 'pwrite':
    case 'fsync':
    case 'reclaim':
    case 'truncate':
    case 'kalloc':
    case 'ublk':
    case 'vmsplice':
    case 'splice':
    case 'uring-unregister':
    case 'fallocate':
      return null;
  }
}

function slotMap(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) if (!m.has(k)) m.set(k, m.size);
  return m;
}

export function layout(s: Scenario): Layout {
  const { program } = s;
  const ops = allOps(program);
  const condExprs = s.conditions.flatMap((c) => propExprs(c.prop));
  const regs = slotMap([
    ...ops.flatMap(({ actor, op }) => {
      const r = regOf(op);
      return r === null ? [] : [`${actor}:${r}`];
    }),
    ...condExprs.flatMap((e) => (e.kind === 'reg' ? [`${e.actor}:${e.reg}`] : [])),
  ]);
  const handles = new Map<string, Handle>();
  for (const { actor, op } of ops)
    if (op.op === 'gup' || op.op === 'kalloc') {
      const mode = op.op === 'gup' && kernelActorNeed(op) === null ? op.mode : 'kernel';
      handles.set(`${actor}:${op.as}`, { index: handles.size, mode });
    }
  const asyncDio = ops.flatMap(({ actor, op }) => (op.op === 'dio' && op.async ? [{ actor, op }] : []));
  const ios = slotMap(asyncDio.map(({ actor, op }) => `${actor}:${op.as}`));
  const kernelIos = new Set(
    asyncDio.flatMap(({ actor, op }) => (kernelActorNeed(op) === null ? [] : [`${actor}:${op.as}`])),
  );
  const slots = Math.max(
    0,
    ...ops.map(({ op }) => (op.op === 'uring-register' || op.op === 'uring-rw' ? op.index + 1 : 0)),
  );
  const data = [
    ...program.files.flatMap((f) => f.pages),
    ...ops.flatMap(({ op }) => (op.op === 'write' || op.op === 'pwrite' ? [op.data] : [])),
    ...condExprs.flatMap((e) => (e.kind === 'lit' ? [e.value] : [])),
  ];
  const tokens = [...new Set(['0', ...data])];
  const initial = program.processes.find((p) => !p.forked);
  const bufs = new Map((initial?.mappings ?? []).map((m, i) => [m.name, i] as const));
  const memKeys = [...slotMap(condExprs.flatMap((e) => (e.kind === 'mem' ? [`${e.process}:${e.buf}`] : [])))];
  const diskKeys = [...slotMap(condExprs.flatMap((e) => (e.kind === 'disk' ? [`${e.file}:${e.page}`] : [])))];
  const split = (k: string): [number, string] => {
    const i = k.indexOf(':');
    return [Number(k.slice(0, i)), k.slice(i + 1)];
  };
  return {
    regs,
    handles,
    ios,
    kernelIos,
    slots,
    tokens,
    bufs,
    mems: memKeys.map(([k]) => {
      const [process, buf] = split(k);
      return { process, buf };
    }),
    disks: diskKeys.map(([k]) => {
      const [file, page] = split(k);
      return { file, page: Number(page) };
    }),
  };
}

/** The slot of an observation key in a layout's list. */
export function memSlot(l: Layout, process: number, buf: string): number {
  return l.mems.findIndex((m) => m.process === process && m.buf === buf);
}

export function diskSlot(l: Layout, file: number, page: number): number {
  return l.disks.findIndex((d) => d.file === file && d.page === page);
}
