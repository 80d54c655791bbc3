import type { OwnBio } from '../include/blk_types.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { touchFreed } from '../mm/folio.js';
import { btrfsDataCsum, btrfsReadCsumFails, btrfsRecordCsum } from '../fs/btrfs-csum.js';
import type { Ctx } from '../core/ctx.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';
import type { OwnFile } from '../include/fs.js';
import { folioOf, type World } from '../core/world.js';
import { reflinkWriteInPlace } from '../fs/reflink.js';

/** One thing the device can do next: transfer an in-flight bio, or raise its completion. */
interface DeviceChoice {
  readonly bio: number;
  readonly kind: 'dma' | 'complete';
}

/**
 * The device's choices, by bio id: it may transfer or complete any in-flight bio, in any order.
 * MODEL: the transfer (DMA) and the completion interrupt are two atomic steps; everything in between
 * (fork, writeback, a CPU store) can interleave.
 */
export function deviceChoices(w: World): DeviceChoice[] {
  const out: DeviceChoice[] = [];
  for (const bio of w.bios) {
    if (bio.state === 'in-flight') out.push({ bio: bio.id, kind: 'dma' });
    else if (bio.state === 'transferred') out.push({ bio: bio.id, kind: 'complete' });
  }
  return out;
}

/**
 * The device transfers a bio. A read DMA-writes the blocks into each page; a write DMA-reads each page
 * and, when the device has integrity, verifies the guard tag computed at submission first: a page
 * changed since (a stable-page violation) fails the write (DIF/DIX guard error) and the blocks keep
 * their old contents. btrfs checksums instead: its write always lands, and a block whose data no
 * longer matches its checksum fails a later read (-EIO). A freed page is reported as a use-after-free.
 * @kernel drivers/nvme/host/pci.c:nvme_queue_rq (the DMA), block/t10-pi.c (guard verification)
 */
export function deviceTransfer(ctx: Ctx, w: Draft, bio: OwnBio): void {
  const file = ownFile(w, bio.file);
  bio.bvecs.forEach((bv, i) => {
    const f = ownFolio(w, bv.folio);
    const block = bio.index + i;
    if (bio.op === 'read') {
      if (btrfsReadCsumFails(file, block)) {
        bio.error = true;
        return;
      }
      const data = file.disk[block] ?? ZERO_DATA;
      bio.data[i] = data;
      if (!touchFreed(ctx, f, 'dma-write')) f.data = data;
      return;
    }
    if (touchFreed(ctx, f, 'dma-read')) return;
    bio.data[i] = f.data;
    const tag = bio.tags[i];
    const mismatch = tag !== null && tag !== undefined && tag !== f.data;
    if (mismatch)
      ctx.events.push({ type: 'integrity-error', folio: f.id, bio: bio.id, tagged: tag, found: f.data });
    if (btrfsDataCsum(file)) btrfsRecordCsum(file, block, !mismatch);
    else if (mismatch) {
      bio.error = true;
      return;
    }
    while (file.disk.length <= block) file.disk.push(ZERO_DATA);
    file.disk[block] = f.data;
    reflinkWriteInPlace(w, file, block, f.data);
    if (bio.endIo === 'sg-io') passthroughLeavesCacheStale(w, file, block);
  });
  bio.state = 'transferred';
}

/**
 * A passthrough write went to the device under the page cache: a page cached for the block stays as
 * it is (nothing on the SG_IO path invalidates it), stale but not a lost write.
 * @kernel block/blk-map.c:blk_rq_map_user_iov
 */
function passthroughLeavesCacheStale(w: Draft, file: OwnFile, block: number): void {
  const id = file.cache[block];
  if (id === null || id === undefined) return;
  const data = folioOf(w, id).data;
  file.staleCache = [...file.staleCache.filter((s) => s.index !== block), { index: block, folio: id, data }];
}
