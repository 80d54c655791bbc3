import type { DioPath } from '../include/blk_types.js';
import { EFAULT, EIOCBQUEUED, errnoName } from '../include/errno.js';
import type { IterSeg, IterType } from '../include/uio.js';
import { dioCompleted, dioFinish, dioFlushBlocks, dioReadReturned, type DioRequest } from '../fs/dio.js';
import { finishSyncDio, submitDio, SYNC_DIO_WAIT } from '../fs/read_write.js';
import { iovIterInit, iterUnavailable, syscallIter } from '../lib/iov_iter.js';
import { actorOf, bioOf, dioOf, setLocal, setReg, type World } from '../core/world.js';
import { resolveBuf } from './buf.js';
import { fileIdByName, storeBlocks } from './file.js';
import { finished, type Locals, type OpDef, type OpEnv, type StepOutcome } from './types.js';
import { ownActor, ownDio } from '../core/cow.js';
import type { Policies } from '../profile/policies/index.js';

/**
 * An O_DIRECT read or write of one page: `dio read iomap f[0] into buf as r` (sync), or async (aio /
 * io_uring without fixed buffers) with the result reaped by `await r`.
 * `buf` names a user buffer for ubuf/iovec, or a held handle (a pinned page, a kalloc'd page) for
 * kvec/bvec/xarray/folioq; it is ignored for discard. `syscall` (no type written): the iterator the
 * system call builds over the user buffer on the release (syscallIter).
 */
export interface DioOp {
  readonly op: 'dio';
  readonly rw: 'read' | 'write';
  /** blkdev: block/fops.c (simple when sync, async single-bio when async); blkdev-multi: __blkdev_direct_IO; iomap; legacy: fs/direct-io.c. */
  readonly path: DioPath;
  readonly async: boolean;
  readonly file: string;
  readonly index: number;
  readonly iter: IterType | 'syscall';
  readonly buf: string;
  /** Register for the result (a page count, or an errno name); the handle `await` names. */
  readonly as: string;
}

/** Reap an async direct I/O's completion (io_getevents / the io_uring CQE): `await r`. */
export interface AwaitOp {
  readonly op: 'await';
  readonly as: string;
}

/** A result as a register value: a count, or the errno's name. */
export function retString(ret: number): string {
  return ret < 0 ? (errnoName[-ret] ?? String(ret)) : String(ret);
}

/** The op's iterator type on this release: the one it names, or the one its system call builds. */
function iterOf(p: Policies, op: DioOp): IterType {
  return op.iter === 'syscall' ? syscallIter(p, op.async) : op.iter;
}

/** The op's buffer is a user buffer (ITER_UBUF or ITER_IOVEC), not a held handle. */
function userIter(iter: DioOp['iter']): boolean {
  return iter === 'syscall' || iter === 'ubuf' || iter === 'iovec';
}

/** The iterator's segments from the op's buffer or handle, or null when the buffer is not mapped. */
function iterSegs(env: OpEnv, type: IterType, buf: string): IterSeg[] | null {
  if (type === 'ubuf' || type === 'iovec') {
    const at = resolveBuf(env, buf);
    return at === null ? null : [{ kind: 'user', mm: at.mm, vma: at.vma }];
  }
  if (type === 'discard') return [{ kind: 'page', folio: env.w.zeroPage }];
  const held = actorOf(env.w, env.actor).held[buf];
  return held === undefined ? null : held.folios.map((folio) => ({ kind: 'page' as const, folio }));
}

/** Each path's entry point, for a read and for a write when they differ. */
const SUBMIT_FN: Readonly<Record<DioPath, string | { readonly read: string; readonly write: string }>> = {
  blkdev: 'blkdev_direct_IO',
  'blkdev-multi': '__blkdev_direct_IO',
  iomap: 'iomap_dio_rw',
  legacy: '__blockdev_direct_IO',
  nfs: { read: 'nfs_file_direct_read', write: 'nfs_file_direct_write' },
  ceph: 'ceph_direct_read_write',
  'blkdev-split': 'blkdev_direct_IO',
};

function submitFn(path: DioPath, rw: 'read' | 'write'): string {
  const fn = SUBMIT_FN[path];
  return typeof fn === 'string' ? fn : fn[rw];
}

/** What a synchronous request keeps between its submission and its wait: the request. */
export interface DioLocals extends Locals {
  readonly dio: number;
}

export const dioOp: OpDef<DioOp, DioLocals> = {
  footprint: 'any',
  unavailable: (p, op) => iterUnavailable(p, iterOf(p, op)),
  steps: [
    {
      name: 'submit',
      // A FOLL_WRITE GUP of a write-protected page under writeback faults into ->page_mkwrite, which
      // waits for stable writes (folio_wait_stable).
      // The flush before it waits for a writeback of the file's page in flight (dioFlushBlocks).
      enabled: (env, op) =>
        !(op.rw === 'read' && userIter(op.iter) && storeBlocks(env, op.buf)) &&
        !dioFlushBlocks(env.w, fileIdByName(env.w, op.file), op.index),
      run(env, op): StepOutcome {
        const st = ownActor(env.w, env.actor);
        const fn = submitFn(op.path, op.rw);
        const type = iterOf(env.ctx.policies, op);
        const segs = iterSegs(env, type, op.buf);
        if (segs === null) {
          setReg(st, op.as, retString(-EFAULT));
          return finished(fn, [], -EFAULT);
        }
        const user = userIter(op.iter);
        const first = segs[0];
        const req: DioRequest = {
          path: op.path,
          op: op.rw,
          async: op.async,
          iter: iovIterInit(type, op.rw === 'read', segs),
          file: fileIdByName(env.w, op.file),
          index: op.index,
          actor: env.actor,
          name: op.as,
          mm: user && first?.kind === 'user' ? first.mm : null,
          buf: user ? op.buf : null,
        };
        const r = submitDio(env.ctx, env.w, req);
        const folios = r.dio === null ? [] : dioFolios(env.w, r.dio);
        if (r.ret < 0 || r.dio === null) {
          setReg(st, op.as, retString(r.ret));
          return finished(fn, folios, r.ret);
        }
        if (op.async) {
          setReg(st, op.as, retString(-EIOCBQUEUED));
          return finished(fn, folios, -EIOCBQUEUED);
        }
        setLocal<DioLocals, 'dio'>(st, 'dio', r.dio);
        return { fn, folios, done: false, ret: null };
      },
    },
    {
      name: 'wait',
      enabled: (env, _op, { dio }) => dio !== undefined && dioCompleted(env.w, dio),
      run(env, op, { dio }) {
        const st = ownActor(env.w, env.actor);
        const fn = SYNC_DIO_WAIT[op.path];
        if (dio === undefined) return finished(fn, [], null);
        dioFinish(env.ctx, env.w, dio);
        const ret = finishSyncDio(env.ctx, env.w, dio);
        setReg(st, op.as, retString(ret));
        return finished(fn, dioFolios(env.w, dio), ret);
      },
    },
  ],
};

function dioFolios(w: World, dioId: number): number[] {
  return dioOf(w, dioId).bios.flatMap((b) => bioOf(w, b).bvecs.map((v) => v.folio));
}

/** The actor's latest request submitted under this handle. */
function findDio(w: World, actor: number, name: string): number | null {
  for (let i = w.dios.length - 1; i >= 0; i--) {
    const d = w.dios[i];
    if (d && d.actor === actor && d.name === name) return d.id;
  }
  return null;
}

export const awaitOp: OpDef<AwaitOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'await',
      enabled(env, op) {
        const id = findDio(env.w, env.actor, op.as);
        return id === null || dioCompleted(env.w, id);
      },
      run(env, op) {
        const st = ownActor(env.w, env.actor);
        const id = findDio(env.w, env.actor, op.as);
        if (id === null) return finished('io_getevents', [], null);
        dioFinish(env.ctx, env.w, id);
        const dio = ownDio(env.w, id);
        dioReadReturned(env.ctx, env.w, dio);
        const ret = dio.ret ?? 0;
        setReg(st, op.as, retString(ret));
        return finished('io_getevents', dioFolios(env.w, id), ret);
      },
    },
  ],
};
