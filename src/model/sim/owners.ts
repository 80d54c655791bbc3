import { isZeroFolio } from '../mm/folio.js';
import { folioOf, type World } from './world.js';

/**
 * Who legitimately holds a reference on a folio when nothing is in flight: the page-table entries
 * mapping it (in live mms), the page cache, the swap cache, and the kernel's own permanent reference
 * on the zero pages (which mappings do not add to).
 */
export interface FolioOwners {
  readonly mappings: number;
  readonly pageCache: number;
  readonly swapCache: number;
  readonly permanent: number;
}

/** The present entries of live mms that map the folio. */
function countMappings(w: World, folioId: number): number {
  let n = 0;
  for (const mm of w.mms) {
    if (!mm.alive) continue;
    for (const vma of mm.vmas) if (vma.pte.kind === 'present' && vma.pte.folio === folioId) n += 1;
  }
  return n;
}

export function folioOwners(w: World, folioId: number): FolioOwners {
  const f = folioOf(w, folioId);
  const zero = isZeroFolio(f);
  let pageCache = 0;
  for (const file of w.files) for (const id of file.cache) if (id === folioId) pageCache += 1;
  const swapCache = w.swap.filter((s) => s.cache === folioId).length;
  return { mappings: zero ? 0 : countMappings(w, folioId), pageCache, swapCache, permanent: zero ? 1 : 0 };
}

/**
 * The refcount a live folio must have once every GUP reference and pin has been dropped: one per
 * owner (folioOwners()). Anything above it is a leaked grab; anything below, a reference dropped
 * twice. MODEL: a mapping holds one reference even for a large folio (one entry per VMA).
 */
export function expectedRefcount(w: World, folioId: number): number {
  const o = folioOwners(w, folioId);
  return o.mappings + o.pageCache + o.swapCache + o.permanent;
}

/** The mapcount a folio must have: the entries mapping it (the zero pages are mapped without rmap). */
export function expectedMapcount(w: World, folioId: number): number {
  return folioOwners(w, folioId).mappings;
}
