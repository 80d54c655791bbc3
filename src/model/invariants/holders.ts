import type { BvecGrab } from '../include/blk_types.js';
import type { Folio } from '../include/mm_types.js';
import { isAnyZeroFolio } from '../mm/folio.js';
import type { GrabMode, World } from '../core/world.js';

/** How a holder holds a folio: a reference, a pin, or (an actor's listed page) its own reference. */
type HoldMode = BvecGrab | GrabMode;

/** A walk over the holders of one World member, reporting each folio held and how. */
type HolderWalk = (w: World, held: (folio: number, how: HoldMode) => void) => void;

/** A live folio (freed ones have no owners left to count). */
function live(w: World, id: number): Folio | undefined {
  const f = w.folios[id];
  return f && !f.freed ? f : undefined;
}

/**
 * Who holds references and pins on folios, by the World member that records the holder. Every member
 * is listed, with null where it holds nothing itself (so a new member that holds pages, the skbs of a
 * zerocopy send say, cannot be added without saying how: the type requires an entry). The owners
 * invariants count through this table alone.
 */
export const HOLDERS: { readonly [K in keyof World]: HolderWalk | null } = {
  // The kernel's permanent reference on the zero pages (mappings do not add to it).
  folios: (w, held) => {
    for (const f of w.folios) if (!f.freed && isAnyZeroFolio(f)) held(f.id, 'ref');
  },
  // A present entry of a live mm maps its folio with a reference (MODEL: one per VMA, even for a
  // large folio); the zero pages are mapped without one (vm_normal_page() is NULL).
  mms: (w, held) => {
    for (const mm of w.mms) {
      if (!mm.alive) continue;
      for (const vma of mm.vmas) {
        const pte = vma.pte;
        if (pte.kind !== 'present') continue;
        const f = live(w, pte.folio);
        if (f && !isAnyZeroFolio(f)) held(f.id, 'ref');
      }
    }
  },
  // The page cache holds a reference on each cached folio.
  files: (w, held) => {
    for (const file of w.files) for (const id of file.cache) if (id !== null && live(w, id)) held(id, 'ref');
  },
  // The swap cache holds a reference on the folio of a slot.
  swap: (w, held) => {
    for (const s of w.swap) if (s.cache !== null && live(w, s.cache)) held(s.cache, 'ref');
  },
  zeroPage: null, // a folio id, held by `folios`
  hugeZeroPage: null, // a folio id, held by `folios`
  processes: null, // mm ids
  // Grabs an actor keeps past an operation; a listed page (a kalloc'd one) is its own reference.
  actors: (w, held) => {
    for (const actor of w.actors)
      for (const name in actor.held) {
        const grab = actor.held[name];
        if (grab) for (const id of grab.folios) held(id, grab.mode === 'none' ? 'ref' : grab.mode);
      }
  },
  // A bio not yet put holds its pages as it grabbed them (a borrowed bvec holds nothing), and a
  // bounced read the caller's pages it extracted.
  bios: (w, held) => {
    for (const bio of w.bios) {
      if (bio.state === 'put') continue;
      for (const bv of bio.bvecs) held(bv.folio, bv.grab);
      for (const bv of bio.bounced) held(bv.folio, bv.grab);
    }
  },
  dios: null, // its bios hold the pages
  bioDirtyList: null, // bio ids, held by `bios`
  pipes: (w, held) => {
    for (const pipe of w.pipes) for (const b of pipe.bufs) held(b.folio, b.grab);
  },
  uring: (w, held) => {
    for (const u of w.uring) for (const id of u.folios) held(id, u.grab);
  },
  // An skb's page fragment holds the reference iov_iter_get_pages2() took until the peer's ACK frees it.
  skbs: (w, held) => {
    for (const s of w.skbs) if (s.state !== 'acked' && s.folio !== null) held(s.folio, 'ref');
  },
};

/** The World members whose holders the mm itself owns: everything but in-flight I/O and grabs. */
const MM_HOLDERS = ['folios', 'mms', 'files', 'swap'] as const;

/** The references and pins a folio's holders account for. */
export interface Held {
  refs: number;
  pins: number;
}

const KEYS = Object.keys(HOLDERS) as (keyof World)[];

/** What the holders in `members` hold, per folio id (every live folio has an entry). */
export function heldCounts(w: World, members: readonly (keyof World)[] = KEYS): Map<number, Held> {
  const m = new Map<number, Held>();
  for (const f of w.folios) if (!f.freed) m.set(f.id, { refs: 0, pins: 0 });
  const held = (id: number, how: HoldMode): void => {
    let o = m.get(id);
    if (!o) m.set(id, (o = { refs: 0, pins: 0 }));
    if (how === 'ref' || how === 'get') o.refs += 1;
    else if (how === 'pin') o.pins += 1;
  };
  for (const k of members) HOLDERS[k]?.(w, held);
  return m;
}

/**
 * The refcount a live folio must have once every GUP reference and pin has been dropped: one per
 * owner the mm keeps (mappings, page cache, swap cache, the zero pages' permanent one). Anything above
 * it is a leaked grab; anything below, a reference dropped twice.
 */
export function expectedRefcount(w: World, folioId: number): number {
  return heldCounts(w, MM_HOLDERS).get(folioId)?.refs ?? 0;
}

/** The mapcount a folio must have: the entries mapping it (the zero pages are mapped without rmap). */
export function expectedMapcount(w: World, folioId: number): number {
  return heldCounts(w, ['mms']).get(folioId)?.refs ?? 0;
}
