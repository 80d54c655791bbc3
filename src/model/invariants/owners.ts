import type { BvecGrab } from '../include/blk_types.js';
import { GUP_PIN_COUNTING_BIAS, type Folio } from '../include/mm_types.js';
import { expectedRefcount } from '../sim/owners.js';
import type { GrabMode, World } from '../sim/world.js';

/** The references and pins a folio's known owners account for. */
export interface Owned {
  refs: number;
  pins: number;
}

function add(o: Owned, grab: BvecGrab | GrabMode): void {
  if (grab === 'ref' || grab === 'get') o.refs += 1;
  else if (grab === 'pin') o.pins += 1;
}

/**
 * Who owns references and pins of each folio: the mm owners of expectedRefcount() (page-table
 * entries, page cache, swap cache), actors' held grabs (a kalloc'd page's own reference included),
 * bios not yet put, pipe buffers and io_uring registered buffers.
 */
export function ownedCounts(w: World): Map<number, Owned> {
  const m = new Map<number, Owned>();
  const at = (id: number): Owned => {
    let o = m.get(id);
    if (!o) m.set(id, (o = { refs: 0, pins: 0 }));
    return o;
  };
  for (const f of w.folios) if (!f.freed) at(f.id).refs += expectedRefcount(w, f.id);
  for (const actor of w.actors)
    for (const grab of Object.values(actor.held))
      for (const id of grab.folios) {
        if (grab.mode === 'none') at(id).refs += 1;
        else add(at(id), grab.mode);
      }
  for (const bio of w.bios) {
    if (bio.state === 'put') continue;
    for (const bv of bio.bvecs) add(at(bv.folio), bv.grab);
  }
  for (const pipe of w.pipes) for (const b of pipe.bufs) add(at(b.folio), b.grab);
  for (const u of w.uring) for (const id of u.folios) add(at(id), u.grab);
  return m;
}

/** The refcount and pincount a folio should have given its owners. */
export function expectedCounters(f: Folio, o: Owned): { refcount: number; pincount: number } {
  const large = f.order > 0;
  return {
    refcount: o.refs + (large ? o.pins : o.pins * GUP_PIN_COUNTING_BIAS),
    pincount: large ? o.pins : 0,
  };
}
