import { isAnyZeroFolio } from '../mm/folio.js';
import { expectedCounters, ownedCounts } from './owners.js';
import type { Invariant, Violation } from './types.js';

/** At quiescence a folio keeps references or pins that no owner accounts for (or lacks some it should have). */
export const leakAtExit: Invariant<'unowned-counters'> = {
  name: 'leak-at-exit',
  severity: 'flag',
  scope: 'step',
  doc: 'at quiescence a folio keeps refs or pins nobody owns',
  check(input) {
    if (!input.quiescent()) return [];
    const { world } = input;
    const owned = ownedCounts(world);
    const out: Violation<'unowned-counters'>[] = [];
    for (const f of world.folios) {
      if (f.freed || isAnyZeroFolio(f)) continue;
      const want = expectedCounters(f, owned.get(f.id) ?? { refs: 0, pins: 0 });
      if (f.refcount !== want.refcount || f.pincount !== want.pincount)
        out.push({
          code: 'unowned-counters',
          invariant: 'leak-at-exit',
          folios: [f.id],
          what: `refcount ${f.refcount}/${want.refcount} pincount ${f.pincount}/${want.pincount}`,
        });
    }
    return out;
  },
};
