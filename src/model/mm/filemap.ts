import type { File } from '../include/fs.js';
import type { OwnFolio } from '../include/mm_types.js';
import { ownFile, ownFolio, type Draft } from '../core/cow.js';
import { folioAlloc } from './folio.js';

/** The contents of a page never written: what a read of a hole or of fresh anonymous memory sees. */
export const ZERO_DATA = '0';

/**
 * filemap_get_folio() with FGP_CREAT, and the read that fills it (filemap_read_folio): the folio from
 * the page cache, or a new one read from disk. The page cache holds one reference.
 * MODEL: reading from disk is part of the same atomic step.
 * @kernel mm/filemap.c:__filemap_get_folio
 */
export function filemapGetFolio(w: Draft, file: File, index: number, order: number): OwnFolio {
  const cached = file.cache[index];
  if (cached !== undefined && cached !== null) return ownFolio(w, cached);
  const kind = file.fs === 'hugetlbfs' ? 'hugetlb' : 'small';
  const f = folioAlloc(
    w,
    kind,
    kind === 'hugetlb' ? order : 0,
    { type: 'file', file: file.id, index },
    file.disk[index] ?? ZERO_DATA,
  );
  const cache = ownFile(w, file.id).cache;
  while (cache.length <= index) cache.push(null);
  cache[index] = f.id;

  return f;
}
