import type { File, OwnFile } from '../include/fs.js';

/** A btrfs file whose data blocks carry checksums (not NODATASUM): pinlab's `btrfs integrity`. */
export function btrfsDataCsum(file: File): boolean {
  return file.fs === 'btrfs' && file.integrity;
}

/**
 * btrfs_csum_one_bio() at submission, the device writing the block later: btrfs stores the checksum
 * of the data as it was at submission, and the device writes whatever the page holds when it reads
 * it. Nothing fails the write; a block whose data changed in between keeps a checksum that no longer
 * matches, and a block written whole again is consistent again.
 * @kernel fs/btrfs/file-item.c:btrfs_csum_one_bio
 */
export function btrfsRecordCsum(file: OwnFile, block: number, matches: boolean): void {
  const at = file.csumBad.indexOf(block);
  if (matches && at >= 0) file.csumBad.splice(at, 1);
  else if (!matches && at < 0) {
    file.csumBad.push(block);
    file.csumBad.sort((a, b) => a - b);
  }
}

/**
 * btrfs_check_read_bio() -> btrfs_data_csum_ok(): a read of a block whose data does not match its
 * stored checksum fails (-EIO, with no other mirror to repair from).
 * MODEL: one device, no mirrors.
 * @kernel fs/btrfs/bio.c:btrfs_check_read_bio
 */
export function btrfsReadCsumFails(file: File, block: number): boolean {
  return btrfsDataCsum(file) && file.csumBad.includes(block);
}
