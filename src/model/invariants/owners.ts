import { GUP_PIN_COUNTING_BIAS, type Folio } from '../include/mm_types.js';
import { heldCounts, type Held } from './holders.js';
import type { World } from '../core/world.js';

/** The references and pins a folio's known owners account for. */
export type Owned = Held;

/** Who owns references and pins of each folio: every holder of HOLDERS. */
export function ownedCounts(w: World): Map<number, Owned> {
  return heldCounts(w);
}

/** The refcount and pincount a folio should have given its owners. */
export function expectedCounters(f: Folio, o: Owned): { refcount: number; pincount: number } {
  const large = f.order > 0;
  return {
    refcount: o.refs + (large ? o.pins : o.pins * GUP_PIN_COUNTING_BIAS),
    pincount: large ? o.pins : 0,
  };
}
