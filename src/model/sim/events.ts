/**
 * Facts a step reports about what it did, for the invariants to judge. The model never decides that a
 * run is wrong; it says what happened (a DMA into a freed folio, a counter going negative) as data.
 */
export type ModelEvent =
  /** A folio was touched after its refcount reached 0. */
  | { readonly type: 'use-after-free'; readonly folio: number; readonly access: Access }
  /** A counter went negative, or a grab was released the wrong way (unpin of a ref, put of a pin). */
  | { readonly type: 'counter-mismatch'; readonly folio: number; readonly what: CounterProblem };

export type Access = 'cpu-read' | 'cpu-write' | 'dma-read' | 'dma-write' | 'grab' | 'put' | 'map';

export type CounterProblem =
  'negative-refcount' | 'negative-pincount' | 'unpin-of-ref' | 'put-of-pin' | 'ref-on-kernel-page';
