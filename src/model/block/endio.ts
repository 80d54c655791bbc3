import type { BioEndIo, OwnBio } from '../include/blk_types.js';
import { dioBioEndIo } from '../fs/direct-io.js';
import { iomapDioBioEndIo, iomapDioBounceEndIo } from '../fs/iomap-dio.js';
import { nfsDirectReadCompletion, nfsDirectWriteCompletion } from '../fs/nfs-direct.js';
import { cephOsdReply } from '../fs/ceph-direct.js';
import { writebackEndIo } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import { blkdevBioEndIo } from './fops.js';
import { blkEndSyncRq } from './blk-map.js';
import { bioChainComplete } from './bio-split.js';
import type { Draft } from '../core/cow.js';

/** A ->bi_end_io: the kernel function's name, for the trace, and what it does. */
interface EndIo {
  readonly fn: string;
  readonly run: (ctx: Ctx, w: Draft, bio: OwnBio) => void;
}

/** Each bio's completion by who submitted it (bio.endIo); the three block/fops.c ones share a body. */
const END_IO: { readonly [K in BioEndIo]: EndIo } = {
  'blkdev-simple': { fn: 'submit_bio_wait_endio', run: blkdevBioEndIo },
  blkdev: { fn: 'blkdev_bio_end_io', run: blkdevBioEndIo },
  'blkdev-async': { fn: 'blkdev_bio_end_io_async', run: blkdevBioEndIo },
  iomap: { fn: 'iomap_dio_bio_end_io', run: iomapDioBioEndIo },
  'iomap-bounce': { fn: 'iomap_dio_bio_end_io', run: iomapDioBounceEndIo },
  legacy: { fn: 'dio_bio_end_io', run: dioBioEndIo },
  writeback: { fn: 'end_bio_bh_io_sync', run: writebackEndIo },
  'nfs-read': { fn: 'nfs_direct_read_completion', run: nfsDirectReadCompletion },
  'nfs-write': { fn: 'nfs_direct_write_completion', run: nfsDirectWriteCompletion },
  ceph: { fn: '__complete_request', run: cephOsdReply },
  'sg-io': { fn: 'blk_end_sync_rq', run: blkEndSyncRq },
  chain: { fn: 'bio_chain_endio', run: bioChainEndio },
};

/**
 * bio_endio(): the completion interrupt runs the bio's ->bi_end_io; returns its name. A bio with
 * chained parts still out waits for them (bio_remaining_done).
 * @kernel block/bio.c:bio_endio
 */
export function bioEndio(ctx: Ctx, w: Draft, bio: OwnBio): string {
  bio.remaining -= 1;
  if (bio.remaining > 0) {
    bio.state = 'chained';
    return 'bio_endio';
  }
  return runEndIo(ctx, w, bio);
}

function runEndIo(ctx: Ctx, w: Draft, bio: OwnBio): string {
  const e = END_IO[bio.endIo];
  e.run(ctx, w, bio);
  return e.fn;
}

/**
 * bio_chain_endio(): the chained part is done; bio_endio(parent) runs the parent's ->bi_end_io when
 * the parent's own completion and every other part came first.
 * @kernel block/bio.c:bio_chain_endio
 */
function bioChainEndio(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const parent = bioChainComplete(ctx, w, bio);
  parent.remaining -= 1;
  if (parent.remaining === 0) runEndIo(ctx, w, parent);
}
