/**
 * struct iov_iter, as plain data. @kernel include/linux/uio.h
 * MODEL: one segment is one scenario buffer (one VMA entry) or one kernel folio; byte offsets and
 * lengths are not modelled, so advancing moves by whole segments.
 */

/** The iterator flavours. ITER_PIPE (v4.9 to v6.4) is not modelled. */
export type IterType = 'ubuf' | 'iovec' | 'kvec' | 'bvec' | 'xarray' | 'folioq' | 'discard';

/** One segment: a user buffer (by VMA) or a kernel page (KVEC: vmalloc/kmalloc; BVEC/XARRAY/FOLIOQ: a folio). */
export type IterSeg =
  | { readonly kind: 'user'; readonly mm: number; readonly vma: number }
  | { readonly kind: 'page'; readonly folio: number };

export interface IovIter {
  readonly type: IterType;
  /** ITER_DEST (data is written into the pages: a read) or ITER_SOURCE (a write). */
  readonly dest: boolean;
  readonly segs: readonly IterSeg[];
  /** Index of the next segment (iov_iter_advance / iov_iter_revert move it). */
  pos: number;
  /** FOLL_NOFAULT for user-backed iterators (iocb->ki_flags & IOCB_NOWAIT paths). */
  readonly nofault: boolean;
}
