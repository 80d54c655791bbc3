import { readOp, writeOp, type ReadOp, type WriteOp } from './access.js';
import { gupOp, peekOp, releaseOp, type GupOp, type PeekOp, type ReleaseOp } from './gup.js';
import {
  madviseOp,
  mprotectOp,
  munmapOp,
  splitPmdOp,
  type MadviseOp,
  type MprotectOp,
  type MunmapOp,
  type SplitPmdOp,
} from './mapping.js';
import { exitOp, forkOp, waitOp, type ExitOp, type ForkOp, type WaitOp } from './process.js';
import { awaitOp, dioOp, type AwaitOp, type DioOp } from './dio.js';
import { tryGetOp, type TryGetOp } from './folio-try-get.js';
import { sgIoOp, type SgIoOp } from './sg-io.js';
import {
  fsyncOp,
  kallocOp,
  preadOp,
  pwriteOp,
  reclaimOp,
  touchOp,
  truncateOp,
  type FsyncOp,
  type KallocOp,
  type PreadOp,
  type PwriteOp,
  type ReclaimOp,
  type TouchOp,
  type TruncateOp,
} from './file.js';
import { pipeReadOp, spliceOp, vmspliceOp, type PipeReadOp, type SpliceOp, type VmspliceOp } from './pipe.js';
import { bug } from '../core/world.js';
import type { Locals, OpDef, OpStep } from './types.js';
import {
  uringRegisterOp,
  uringRwOp,
  uringUnregisterOp,
  type UringRegisterOp,
  type UringRwOp,
  type UringUnregisterOp,
} from './uring.js';
import { ublkOp, type UblkOp } from './ublk.js';
import { errqueueOp, recvOp, sendOp, type ErrqueueOp, type RecvOp, type SendOp } from './net.js';
import { kernelAioOp, type KernelAioOp } from './kernel-aio.js';
import { fallocateOp, remapOp, type FallocateOp, type RemapOp } from './remap.js';

/** Every operation an actor can run (herd's kernel.def: scenario names to model functions). */
export type Op =
  | WriteOp
  | ReadOp
  | ForkOp
  | ExitOp
  | WaitOp
  | MunmapOp
  | MprotectOp
  | MadviseOp
  | SplitPmdOp
  | GupOp
  | ReleaseOp
  | PeekOp
  | TryGetOp
  | DioOp
  | AwaitOp
  | PreadOp
  | PwriteOp
  | FsyncOp
  | ReclaimOp
  | TruncateOp
  | KallocOp
  | TouchOp
  | UringRegisterOp
  | UringRwOp
  | UringUnregisterOp
  | VmspliceOp
  | PipeReadOp
  | SpliceOp
  | UblkOp
  | SendOp
  | RecvOp
  | ErrqueueOp
  | KernelAioOp
  | RemapOp
  | FallocateOp
  | SgIoOp;

type OpTable = { readonly [K in Op['op']]: OpDef<Extract<Op, { op: K }>, Locals> };

const OPS: OpTable = {
  write: writeOp,
  read: readOp,
  fork: forkOp,
  exit: exitOp,
  wait: waitOp,
  munmap: munmapOp,
  mprotect: mprotectOp,
  madvise: madviseOp,
  'split-pmd': splitPmdOp,
  gup: gupOp,
  release: releaseOp,
  peek: peekOp,
  'try-get': tryGetOp,
  dio: dioOp,
  await: awaitOp,
  pread: preadOp,
  pwrite: pwriteOp,
  fsync: fsyncOp,
  reclaim: reclaimOp,
  truncate: truncateOp,
  kalloc: kallocOp,
  touch: touchOp,
  'uring-register': uringRegisterOp,
  'uring-rw': uringRwOp,
  'uring-unregister': uringUnregisterOp,
  vmsplice: vmspliceOp,
  'pipe-read': pipeReadOp,
  splice: spliceOp,
  ublk: ublkOp,
  send: sendOp,
  recv: recvOp,
  errqueue: errqueueOp,
  'kernel-aio': kernelAioOp,
  remap: remapOp,
  fallocate: fallocateOp,
  'sg-io': sgIoOp,
};

export function opDef<O extends Op>(op: O): OpDef<O, Locals> {
  return OPS[op.op] as unknown as OpDef<O, Locals>;
}

/** Step `phase` of operation `op`, the one an actor at that phase runs next. */
export function opStep<O extends Op>(op: O, phase: number): OpStep<O, Locals> {
  return opDef(op).steps[phase] ?? bug('opStep', `${op.op} has no step ${phase}`);
}

/** Every operation's name. */
export const OP_NAMES = Object.keys(OPS) as readonly Op['op'][];
