import type { Invariant, Violation } from './types.js';

/**
 * A page changed between its integrity tag / checksum being computed at submission and the device
 * reading it (DIF/DIX guard errors, btrfs csum failures): a DMA or GUP write into a page under writeback.
 */
export const stablePageViolation: Invariant<'guard-tag-mismatch'> = {
  name: 'stable-page-violation',
  severity: 'flag',
  scope: 'step',
  doc: 'a page changes between its checksum / integrity tag and the device reading it',
  check({ events }) {
    const out: Violation<'guard-tag-mismatch'>[] = [];
    for (const e of events)
      if (e.type === 'integrity-error')
        out.push({
          code: 'guard-tag-mismatch',
          invariant: 'stable-page-violation',
          folios: [e.folio],
          what: `bio ${e.bio} guard tag mismatch`,
        });
    return out;
  },
};
