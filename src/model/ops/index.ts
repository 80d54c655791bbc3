import { readOp, writeOp, type ReadOp, type WriteOp } from './access.js';
import { gupOp, peekOp, releaseOp, type GupOp, type PeekOp, type ReleaseOp } from './gup.js';
import {
  madviseOp,
  mprotectOp,
  munmapOp,
  type MadviseOp,
  type MprotectOp,
  type MunmapOp,
} from './mapping.js';
import { exitOp, forkOp, type ExitOp, type ForkOp } from './process.js';
import type { OpDef } from './types.js';

/** Every operation an actor can run (herd's kernel.def: scenario names to model functions). */
export type Op =
  WriteOp | ReadOp | ForkOp | ExitOp | MunmapOp | MprotectOp | MadviseOp | GupOp | ReleaseOp | PeekOp;

type OpTable = { readonly [K in Op['op']]: OpDef<Extract<Op, { op: K }>> };

const OPS: OpTable = {
  write: writeOp,
  read: readOp,
  fork: forkOp,
  exit: exitOp,
  munmap: munmapOp,
  mprotect: mprotectOp,
  madvise: madviseOp,
  gup: gupOp,
  release: releaseOp,
  peek: peekOp,
};

export function opDef<O extends Op>(op: O): OpDef<O> {
  return OPS[op.op] as unknown as OpDef<O>;
}
