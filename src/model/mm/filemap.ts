import type { File } from '../include/fs.js';
import type { Folio } from '../include/mm_types.js';
import type { World } from '../sim/world.js';
import { folioOf } from '../sim/world.js';
import { folioAlloc } from './folio.js';

/** The contents of a page never written: what a read of a hole or of fresh anonymous memory sees. */
export const ZERO_DATA = '0';

/**
 * filemap_get_folio() with FGP_CREAT, and the read that fills it (filemap_read_folio): the folio from
 * the page cache, or a new one read from disk. The page cache holds one reference.
 * MODEL: reading from disk is part of the same atomic step.
 * @kernel mm/filemap.c:__filemap_get_folio
 */
export function filemapGetFolio(w: World, file: File, index: number, order: number): Folio {
  const cached = file.cache[index];
  if (cached !== undefined && cached !== null) return folioOf(w, cached);
  const kind = file.fs === 'hugetlbfs' ? 'hugetlb' : 'small';
  const f = folioAlloc(
    w,
    kind,
    kind === 'hugetlb' ? order : 0,
    { type: 'file', file: file.id, index },
    file.disk[index] ?? ZERO_DATA,
  );
  while (file.cache.length <= index) file.cache.push(null);
  file.cache[index] = f.id;
  return f;
}
