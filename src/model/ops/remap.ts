import { remapBlocks, vfsRemapFileRange } from '../fs/remap_range.js';
import { punchHole, punchHoleBlocks } from '../fs/fallocate.js';
import { ownActor, ownFile } from '../core/cow.js';
import { setReg } from '../core/world.js';
import { retString } from './dio.js';
import { fileByName, fileIdByName } from './file.js';
import { finished, type OpDef } from './types.js';

/**
 * ioctl(FIDEDUPERANGE) or ioctl(FICLONERANGE) of one page: `dedupe f[0] -> h[0] as r` makes h[0]
 * share f[0]'s block when their contents are equal (r: "1", or EBADE when they differ; EXDEV across
 * filesystems, EOPNOTSUPP or EINVAL where a file cannot be remapped);
 * `reflink f[0] -> h[0] as r` shares it unconditionally.
 */
export interface RemapOp {
  readonly op: 'remap';
  readonly dedupe: boolean;
  readonly file: string;
  readonly index: number;
  readonly dst: string;
  readonly dstIndex: number;
  readonly as: string;
}

/** fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) of one page: `fallocate f[0] punch-hole`. */
export interface FallocateOp {
  readonly op: 'fallocate';
  readonly file: string;
  readonly index: number;
}

/** @kernel fs/remap_range.c:vfs_dedupe_file_range (FICLONERANGE: vfs_clone_file_range) */
export const remapOp: OpDef<RemapOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'remap_file_range',
      enabled: (env, op) =>
        !remapBlocks(env.w, fileByName(env.w, op.file), op.index, fileByName(env.w, op.dst), op.dstIndex),
      run(env, op) {
        const src = ownFile(env.w, fileIdByName(env.w, op.file));
        const dst = ownFile(env.w, fileIdByName(env.w, op.dst));
        const r = vfsRemapFileRange(env.ctx, env.w, src, op.index, dst, op.dstIndex, op.dedupe);
        setReg(ownActor(env.w, env.actor), op.as, retString(r));
        return finished(op.dedupe ? 'vfs_dedupe_file_range' : 'vfs_clone_file_range', [], r);
      },
    },
  ],
};

/** @kernel fs/open.c:vfs_fallocate */
export const fallocateOp: OpDef<FallocateOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'fallocate',
      enabled: (env, op) => !punchHoleBlocks(env.w, fileByName(env.w, op.file), op.index),
      run(env, op) {
        const file = ownFile(env.w, fileIdByName(env.w, op.file));
        const id = file.cache[op.index] ?? null;
        const r = punchHole(env.ctx, env.w, file, op.index);
        return finished('vfs_fallocate', id === null ? [] : [id], r);
      },
    },
  ],
};
