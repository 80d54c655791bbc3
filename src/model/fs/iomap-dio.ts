import type { OwnBio } from '../include/blk_types.js';

import { bioAlloc, bioIovIterGetPages } from '../block/bio.js';
import type { Ctx } from '../core/ctx.js';
import {
  dioAbortBio,
  dioAlloc,
  dioBioDone,
  dioCompleteBio,
  dioFlushCache,
  dioShouldDirty,
  dioSubmitBio,
  type DioRequest,
  type DioSubmitted,
} from './dio.js';
import { ownDio, ownFile, type Draft } from '../core/cow.js';
import { bug, fileOf } from '../core/world.js';
import { reflinkBreak } from './reflink.js';
import { btrfsDirectWriteBuffered, btrfsDirectWriteIsBuffered } from './btrfs.js';

/**
 * iomap_dio_rw() -> __iomap_dio_rw() -> iomap_dio_bio_iter(): IOMAP_DIO_DIRTY for a read into a
 * user-backed iterator; each bio gets its pages (bio_iov_iter_get_pages), is pre-dirtied when the flag
 * is set, and is submitted. Sync callers wait for the last completion. btrfs may turn a write into
 * a buffered one first (its ->write_iter, btrfs_direct_write).
 * MODEL: one bio; no sub-block zeroing (the ZERO_PAGE bios).
 * @kernel fs/iomap/direct-io.c:__iomap_dio_rw
 */
export function iomapDioRw(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  if (btrfsDirectWriteIsBuffered(ctx, w, req)) return btrfsDirectWriteBuffered(ctx, w, req);
  if (ctx.policies['dio.bounceStable'] === 'bounce' && xfsDioBounces(w, req))
    return bug(
      'iomap_dio_rw',
      'IOMAP_DIO_BOUNCE (v7.0: XFS bounces direct I/O when the mapping needs stable pages) is not modelled',
    );
  ctx.calls.push('iomap_dio_rw');
  dioFlushCache(ctx, w, req);
  // xfs_direct_write_iomap_begin(): a write to a shared block gets a copy-on-write block first.
  if (req.op === 'write') reflinkBreak(w, fileOf(w, req.file), req.index);
  const dio = dioAlloc(w, req, dioShouldDirty(ctx, req.iter));
  const bio = bioAlloc(w, req.op, req.file, req.index, 'iomap', dio.id);
  const r = bioIovIterGetPages(ctx, w, bio, req.iter);
  if (r < 0) return dioAbortBio(ctx, w, bio, r);
  return dioSubmitBio(ctx, w, req, dio, bio, dio.shouldDirty);
}

/**
 * xfs_file_dio_read() / xfs_file_dio_write_aligned(): from v7.0 an XFS mapping with stable writes asks
 * iomap to bounce (IOMAP_DIO_BOUNCE).
 * MODEL: not modelled; such a request is refused on profiles with policy dio.bounceStable=bounce.
 * @kernel fs/xfs/xfs_file.c:xfs_file_dio_write_aligned
 */
function xfsDioBounces(w: Draft, req: DioRequest): boolean {
  const file = ownFile(w, req.file);
  return file.fs === 'xfs' && file.stableWrites;
}

/**
 * iomap_dio_bio_end_io(): drop the dio reference (the last one wakes the waiter or completes the
 * iocb), then bio_check_pages_dirty() when IOMAP_DIO_DIRTY, else bio_release_pages(bio, false).
 * @kernel fs/iomap/direct-io.c:iomap_dio_bio_end_io
 */
export function iomapDioBioEndIo(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const dio = ownDio(w, bio.dio ?? -1);
  dioBioDone(ctx, w, dio);
  dioCompleteBio(ctx, w, bio, dio.shouldDirty, false);
}
