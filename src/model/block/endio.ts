import type { OwnBio } from '../include/blk_types.js';
import { dioBioEndIo } from '../fs/direct-io.js';
import { iomapDioBioEndIo } from '../fs/iomap-dio.js';
import { writebackEndIo } from '../mm/page-writeback.js';
import type { Ctx } from '../core/ctx.js';
import { blkdevBioEndIo } from './fops.js';
import type { Draft } from '../core/cow.js';

/**
 * bio_endio(): the completion interrupt runs the bio's ->bi_end_io.
 * @kernel block/bio.c:bio_endio
 */
export function bioEndio(ctx: Ctx, w: Draft, bio: OwnBio): string {
  switch (bio.endIo) {
    case 'blkdev-simple':
      blkdevBioEndIo(ctx, w, bio);
      return 'submit_bio_wait_endio';
    case 'blkdev':
      blkdevBioEndIo(ctx, w, bio);
      return 'blkdev_bio_end_io';
    case 'blkdev-async':
      blkdevBioEndIo(ctx, w, bio);
      return 'blkdev_bio_end_io_async';
    case 'iomap':
      iomapDioBioEndIo(ctx, w, bio);
      return 'iomap_dio_bio_end_io';
    case 'legacy':
      dioBioEndIo(ctx, w, bio);
      return 'dio_bio_end_io';
    case 'writeback':
      writebackEndIo(ctx, w, bio);
      return 'end_bio_bh_io_sync';
  }
}
