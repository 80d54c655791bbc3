import { peekBuffer } from '../engine/observe.js';
import type { Invariant, Violation } from './types.js';

/**
 * After a direct-I/O read returns, the reader's own mapping must hold the data the device wrote. Fork
 * COW giving the DMA page to the child (FOLL_GET references before v6.5) breaks it.
 */
export const lostDioData: Invariant<'dma-data-lost'> = {
  name: 'lost-dio-data',
  severity: 'flag',
  scope: 'step',
  doc: "after a read returns, the reader's mapping does not hold the data the device wrote",
  check({ world, events }) {
    const out: Violation<'dma-data-lost'>[] = [];
    for (const e of events) {
      if (e.type !== 'dio-read-returned') continue;
      const seen = peekBuffer(world, e.mm, e.buf);
      if (seen !== null && seen !== e.expected)
        out.push({
          code: 'dma-data-lost',
          invariant: 'lost-dio-data',
          folios: [e.folio],
          what: `buffer ${e.buf} lost the DMA data`,
        });
    }
    return out;
  },
};
