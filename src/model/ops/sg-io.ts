import { EFAULT, ENOTTY } from '../include/errno.js';
import { blkRqMapUserIov, blkRqUnmapUser } from '../block/blk-map.js';
import { importSingle, iovIterInit } from '../lib/iov_iter.js';
import { bioOf, setLocal, setReg } from '../core/world.js';
import { ownActor } from '../core/cow.js';
import { resolveBuf } from './buf.js';
import { retString } from './dio.js';
import { fileByName, fileIdByName } from './file.js';
import { finished, type Locals, type OpDef } from './types.js';

/**
 * The SG_IO ioctl with a data buffer: a SCSI READ or WRITE of one block through the passthrough path
 * (`sg-io read f[0] into buf as r`), synchronous: the caller sleeps in blk_execute_rq() and unmaps.
 * @kernel drivers/scsi/scsi_ioctl.c:sg_io
 */
export interface SgIoOp {
  readonly op: 'sg-io';
  readonly rw: 'read' | 'write';
  readonly file: string;
  readonly index: number;
  readonly buf: string;
  /** Register for the result: the pages transferred, or an errno name. */
  readonly as: string;
}

/** What the submission keeps for the wait: the request's bio. */
export interface SgIoLocals extends Locals {
  readonly bio: number;
}

export const sgIoOp: OpDef<SgIoOp, SgIoLocals> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'submit',
      run(env, op) {
        const st = ownActor(env.w, env.actor);
        // SG_IO is a block device's ioctl (blkdev_ioctl -> scsi_cmd_ioctl / sd_ioctl); a regular file's
        // ->unlocked_ioctl (ext4_ioctl, xfs_file_ioctl, btrfs_ioctl) or its absence (tmpfs, NFS) gives
        // -ENOTTY (vfs_ioctl, the 5.10, 6.1, 6.12 and 7.2 trees).
        if (fileByName(env.w, op.file).fs !== 'bdev') {
          setReg(st, op.as, retString(-ENOTTY));
          return finished('vfs_ioctl', [], -ENOTTY);
        }
        const at = resolveBuf(env, op.buf);
        if (at === null) {
          setReg(st, op.as, retString(-EFAULT));
          return finished('sg_io', [], -EFAULT);
        }
        // One user buffer: import_single_range() / import_ubuf(), or import_iovec() of one segment
        // (sg_io_hdr.iovec_count): ITER_IOVEC, ITER_UBUF from v6.4 (policy iov.importSingle).
        const iter = iovIterInit(importSingle(env.ctx), op.rw === 'read', [
          { kind: 'user', mm: at.mm, vma: at.vma },
        ]);
        const r = blkRqMapUserIov(env.ctx, env.w, op.rw, fileIdByName(env.w, op.file), op.index, iter);
        if (r < 0) {
          setReg(st, op.as, retString(r));
          return finished('sg_io', [], r);
        }
        setLocal<SgIoLocals, 'bio'>(st, 'bio', r);
        return { fn: 'sg_io', folios: bioOf(env.w, r).bvecs.map((b) => b.folio), done: false, ret: null };
      },
    },
    {
      name: 'wait',
      enabled: (env, _op, { bio }) => bio !== undefined && bioOf(env.w, bio).state === 'completed',
      run(env, op, { bio }) {
        const st = ownActor(env.w, env.actor);
        if (bio === undefined) return finished('sg_io', [], null);
        const b = bioOf(env.w, bio);
        const folios = b.bvecs.map((v) => v.folio);
        const ret = blkRqUnmapUser(env.ctx, env.w, bio);
        setReg(st, op.as, retString(ret));
        // The read returned: the caller expects the device's data in its buffer (lost-dio-data).
        const expected = b.data[0];
        const folio = folios[0];
        if (op.rw === 'read' && ret > 0 && expected !== null && expected !== undefined && folio !== undefined)
          env.ctx.events.push({
            type: 'dio-read-returned',
            folio,
            actor: env.actor,
            mm: env.mm,
            buf: op.buf,
            expected,
          });
        // The thread sleeps in blk_execute_rq() until blk_end_sync_rq() wakes it, then unmaps.
        return finished('blk_execute_rq', folios, ret);
      },
    },
  ],
};
