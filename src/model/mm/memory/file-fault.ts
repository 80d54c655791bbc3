import type { OwnVma } from '../../include/mm_types.js';
import { fileIsMemoryBacked } from '../../include/fs.js';
import type { Ctx } from '../../core/ctx.js';
import { filemapGetFolio } from '../filemap.js';
import { mkPte } from '../pgtable.js';
import { folioAddFileRmap } from '../rmap.js';
import { doPageMkwrite } from './page-mkwrite.js';
import { wpPageCopy } from './wp.js';
import { ownFile, type Draft } from '../../core/cow.js';

/**
 * do_fault(): first touch of a file-backed entry. A read maps the page cache folio (do_read_fault);
 * a write in a private mapping copies it to a new anonymous folio (do_cow_fault); a write in a shared
 * mapping runs ->page_mkwrite and maps it writable and dirty (do_shared_fault). A shared mapping of a
 * file that needs dirty tracking (vma_wants_writenotify) maps read-only on a read fault, so the first
 * write faults again.
 * @kernel mm/memory.c:do_fault
 */
export function doFault(ctx: Ctx, w: Draft, vma: OwnVma, write: boolean): void {
  if (vma.backing.type !== 'file') return;
  const file = ownFile(w, vma.backing.file);
  const f = filemapGetFolio(w, file, vma.backing.pgoff, 0);
  f.refcount += 1;
  folioAddFileRmap(f);
  if (!write) {
    const writenotify = !fileIsMemoryBacked(file);
    vma.pte = mkPte(f.id, { writable: vma.shared && vma.write && !writenotify, dirty: false, huge: false });
    return;
  }
  vma.pte = mkPte(f.id, { writable: false, dirty: false, huge: false });
  if (!vma.shared) {
    wpPageCopy(ctx, w, vma, 'write'); // do_cow_fault()
    return;
  }
  doPageMkwrite(w, f); // do_shared_fault()
  vma.pte = mkPte(f.id, { writable: true, dirty: true, huge: false });
}
