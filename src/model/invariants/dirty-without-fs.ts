import type { Invariant, Violation } from './types.js';

/**
 * A page-cache folio was dirtied by a GUP user (DMA + set_page_dirty) after writeback cleaned it, with no
 * ->page_mkwrite (Jan Kara, LSF/MM 2018); worst when reclaim already released its buffers (ext4 BUG_ON
 * before v5.18, a warning and lost data since).
 */
export const dirtyWithoutFs: Invariant<'dirtied-without-mkwrite' | 'fs-bug'> = {
  name: 'dirty-without-fs',
  severity: 'flag',
  scope: 'step',
  doc: 'a page-cache folio is dirtied after writeback cleaned it, with no page_mkwrite',
  check({ events }) {
    const out: Violation<'dirtied-without-mkwrite' | 'fs-bug'>[] = [];
    for (const e of events) {
      if (e.type === 'dirty-without-fs')
        out.push({
          code: 'dirtied-without-mkwrite',
          invariant: 'dirty-without-fs',
          folios: [e.folio],
          what: e.buffers ? e.fn : `${e.fn}, no buffers`,
        });
      else if (e.type === 'fs-bug')
        out.push({ code: 'fs-bug', invariant: 'dirty-without-fs', folios: [e.folio], what: `${e.fn} BUG` });
    }
    return out;
  },
};
