import type { Invariant, Violation } from './types.js';

/** DMA or a CPU access touched a folio after its refcount reached 0 (the model never reuses ids). */
export const useAfterFree: Invariant<'access-after-free'> = {
  name: 'use-after-free',
  severity: 'error',
  scope: 'step',
  doc: 'DMA or a CPU access touches a folio whose refcount reached 0',
  check({ events }) {
    const out: Violation<'access-after-free'>[] = [];
    for (const e of events)
      if (e.type === 'use-after-free')
        out.push({
          code: 'access-after-free',
          invariant: 'use-after-free',
          folios: [e.folio],
          what: e.access,
        });
    return out;
  },
};
