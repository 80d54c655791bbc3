/**
 * Facts a step reports about what it did, for the invariants to judge. The model never decides that a
 * run is wrong; it says what happened (a DMA into a freed folio, a counter going negative) as data.
 */
export type ModelEvent =
  /** A folio was touched after its refcount reached 0. */
  | { readonly type: 'use-after-free'; readonly folio: number; readonly access: Access }
  /** A counter went negative, or a grab was released the wrong way (unpin of a ref, put of a pin). */
  | { readonly type: 'counter-mismatch'; readonly folio: number; readonly what: CounterProblem }
  /** A direct-I/O read returned to its caller: the caller expects `expected` in its buffer now. */
  | {
      readonly type: 'dio-read-returned';
      /** The folio the device DMA'd into. */
      readonly folio: number;
      readonly actor: number;
      readonly mm: number;
      readonly buf: string;
      readonly expected: string;
    }
  /** The device read a page whose contents no longer match the guard tag computed at submission. */
  | {
      readonly type: 'integrity-error';
      readonly folio: number;
      readonly bio: number;
      readonly tagged: string;
      readonly found: string;
    }
  /** A page-cache folio was dirtied by a GUP user (DMA + set_page_dirty) without ->page_mkwrite. */
  | {
      readonly type: 'dirty-without-fs';
      readonly folio: number;
      readonly buffers: boolean;
      readonly fn: string;
    }
  /** The filesystem met a dirty folio without buffers in writeback (ext4 BUG_ON before v5.18). */
  | { readonly type: 'fs-bug'; readonly folio: number; readonly fn: string }
  /** Page-cache data that differs from the disk was dropped (reclaimed clean, truncated, or cleaned unwritten). */
  | {
      readonly type: 'lost-write';
      readonly folio: number;
      readonly file: number;
      readonly index: number;
      readonly data: string;
    };

export type Access = 'cpu-read' | 'cpu-write' | 'dma-read' | 'dma-write' | 'grab' | 'put' | 'map';

export type CounterProblem =
  | 'negative-refcount'
  | 'negative-pincount'
  | 'unpin-of-ref'
  | 'put-of-pin'
  /** A bio or pipe released a page it never grabbed (a listed-only page put or unpinned). */
  | 'release-of-unheld';
