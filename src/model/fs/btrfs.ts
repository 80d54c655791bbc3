import { EFAULT } from '../include/errno.js';
import type { IovIter } from '../include/uio.js';
import { handleMmFault } from '../mm/memory/fault.js';
import { vmaAt } from '../mm/pgtable.js';
import type { Ctx } from '../core/ctx.js';
import { folioOf } from '../core/world.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';
import { genericPerformWrite } from '../mm/filemap-write.js';
import type { DioRequest, DioSubmitted } from './dio.js';
import { writebackFolioNow } from '../mm/page-writeback.js';
import { btrfsDataCsum } from './btrfs-csum.js';

/** Whether this direct write falls back to a buffered one (policy btrfs.dioWriteCsum). */
export function btrfsDirectWriteIsBuffered(ctx: Ctx, w: Draft, req: DioRequest): boolean {
  return (
    req.op === 'write' &&
    ctx.policies['btrfs.dioWriteCsum'] === 'buffered' &&
    btrfsDataCsum(ownFile(w, req.file))
  );
}

/**
 * btrfs_direct_write() on an inode that needs data checksums, from v6.15 ("btrfs: always fallback to
 * buffered write if the inode requires checksum"): the user's pages could change after the checksum
 * is computed, so the data is copied into the page cache (btrfs_buffered_write), written and waited
 * for (btrfs_fdatawrite_range, filemap_fdatawait_range), then the cached range is invalidated.
 * MODEL: the copy, the writeback and its wait are one step; the written page stays cached (clean,
 * with the data on disk).
 * @kernel fs/btrfs/direct-io.c:btrfs_direct_write
 */
export function btrfsDirectWriteBuffered(ctx: Ctx, w: Draft, req: DioRequest): DioSubmitted {
  ctx.calls.push('btrfs_direct_write');
  const data = copyFromIter(ctx, w, req.iter);
  if (data === null) return { ret: -EFAULT, dio: null };
  const file = ownFile(w, req.file);
  const f = genericPerformWrite(ctx, w, file, req.index, data);
  writebackFolioNow(ctx, w, ownFolio(w, f.id));
  return { ret: 1, dio: null };
}

/**
 * copy_page_from_iter(): the data of the iterator's first page, faulting a user page in first.
 * @kernel lib/iov_iter.c:copy_page_from_iter
 */
function copyFromIter(ctx: Ctx, w: Draft, iter: IovIter): string | null {
  const seg = iter.segs[0];
  if (seg === undefined) return null;
  if (seg.kind === 'page') return folioOf(w, seg.folio).data;
  const at = { mm: seg.mm, vma: seg.vma };
  if (handleMmFault(ctx, w, at, 'read') !== 0) return null;
  const pte = vmaAt(w, at).pte;
  return pte.kind === 'present' ? folioOf(w, pte.folio).data : null;
}
