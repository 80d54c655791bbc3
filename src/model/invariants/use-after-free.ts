import type { Invariant } from './types.js';

/** DMA or a CPU access touched a folio after its refcount reached 0 (the model never reuses ids). */
export const useAfterFree: Invariant = {
  name: 'use-after-free',
  severity: 'error',
  doc: 'DMA or a CPU access touches a folio whose refcount reached 0',
  check({ events }) {
    return events.flatMap((e) =>
      e.type === 'use-after-free' ? [{ invariant: 'use-after-free', folios: [e.folio], what: e.access }] : [],
    );
  },
};
