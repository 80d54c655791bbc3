import { fileIsMemoryBacked } from '../include/fs.js';
import type { Invariant, Violation } from './types.js';

/**
 * Data written into a page-cache page never reaches the disk: the folio was reclaimed or cleaned
 * without being written, or at the end of the run it is clean while its data differs from the disk.
 * A clean page a passthrough write (SG_IO) left stale is not a lost write: the block changed under the
 * cache, which the kernel never promised to keep coherent (file.staleCache); the page is judged again
 * once its data changes.
 */
export const lostWrite: Invariant<'write-dropped' | 'clean-page-differs'> = {
  name: 'lost-write',
  severity: 'flag',
  scope: 'step',
  doc: "data DMA'd into a page-cache page never reaches the disk",
  check(input) {
    const { world, events } = input;
    const out: Violation<'write-dropped' | 'clean-page-differs'>[] = [];
    for (const e of events)
      if (e.type === 'lost-write')
        out.push({
          code: 'write-dropped',
          invariant: 'lost-write',
          folios: [e.folio],
          what: `dropped ${e.data}`,
        });
    if (!input.quiescent()) return out;
    for (const file of world.files) {
      if (fileIsMemoryBacked(file)) continue;
      file.cache.forEach((id, index) => {
        const f = id === null ? undefined : world.folios[id];
        if (!f || f.freed || f.flags.dirty || f.flags.writeback) return;
        // A page a passthrough write left stale still holds what it held then: nothing was lost.
        if (file.staleCache.some((s) => s.index === index && s.folio === f.id && s.data === f.data)) return;
        if (f.data !== (file.disk[index] ?? null))
          out.push({
            code: 'clean-page-differs',
            invariant: 'lost-write',
            folios: [f.id],
            what: `clean page holds ${f.data}, disk differs`,
          });
      });
    }
    return out;
  },
};
