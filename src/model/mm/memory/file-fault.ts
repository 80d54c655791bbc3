import { VM_FAULT_SIGBUS, type OwnVma, type VmFault } from '../../include/mm_types.js';
import { fileIsMemoryBacked, type File } from '../../include/fs.js';
import type { Ctx } from '../../core/ctx.js';
import { filemapGetFolio } from '../filemap.js';
import { mkPte } from '../pgtable.js';
import { folioAddFileRmap } from '../rmap.js';
import { doPageMkwrite } from './page-mkwrite.js';
import { wpPageCopy } from './wp.js';
import { ownFile, type Draft } from '../../core/cow.js';

/**
 * The ->fault handler's first test: a page offset at or past i_size (in pages, rounded up) is
 * VM_FAULT_SIGBUS before any page is looked up or read. filemap_fault() (xfs, ext4, btrfs, vfat, NFS,
 * ceph and block device nodes fault through it) compares vmf->pgoff with DIV_ROUND_UP(i_size) (the
 * 5.10 tree's mm/filemap.c:2729, 6.1 :3231, 6.12 :3317, 7.2 :3558) and again once it holds the folio
 * locked (5.10 :2794, 6.1 :3322, 6.12 :3421, 7.2 :3662). shmem_fault() asks shmem_get_folio_gfp()
 * (shmem_getpage_gfp() in 5.10) for the page with SGP_CACHE, which returns -EINVAL past i_size (5.10
 * mm/shmem.c:1819, 6.1 :1873, 6.12 :2329, 7.2 :2432), and vmf_error() makes that VM_FAULT_SIGBUS
 * (shmem_fault: 5.10 :2122, 6.1 :2159, 6.12 :2616, 7.2 :2719).
 * MODEL: the fault is one atomic step, so the recheck under the folio lock finds what the first test
 * found (a truncation cannot come between).
 * @kernel mm/filemap.c:filemap_fault
 * @kernel mm/shmem.c:shmem_fault
 */
function faultPastEof(ctx: Ctx, file: File, index: number): boolean {
  if (index < file.size) return false;
  ctx.calls.push(file.fs === 'shmem' ? 'shmem_fault' : 'filemap_fault');
  return true;
}

/**
 * do_fault(): first touch of a file-backed entry. A read maps the page cache folio (do_read_fault);
 * a write in a private mapping copies it to a new anonymous folio (do_cow_fault); a write in a shared
 * mapping runs ->page_mkwrite and maps it writable and dirty (do_shared_fault). A shared mapping of a
 * file that needs dirty tracking (vma_wants_writenotify) maps read-only on a read fault, so the first
 * write faults again. A page past i_size is VM_FAULT_SIGBUS from the ->fault handler (__do_fault()
 * returns it, do_fault() passes it up): nothing is mapped.
 * @kernel mm/memory.c:do_fault
 */
export function doFault(ctx: Ctx, w: Draft, vma: OwnVma, write: boolean): VmFault {
  if (vma.backing.type !== 'file') return 0;
  const file = ownFile(w, vma.backing.file);
  if (faultPastEof(ctx, file, vma.backing.pgoff)) return VM_FAULT_SIGBUS;
  const f = filemapGetFolio(w, file, vma.backing.pgoff, 0);
  f.refcount += 1;
  folioAddFileRmap(f);
  if (!write) {
    const writenotify = !fileIsMemoryBacked(file);
    vma.pte = mkPte(f.id, { writable: vma.shared && vma.write && !writenotify, dirty: false, huge: false });
    return 0;
  }
  vma.pte = mkPte(f.id, { writable: false, dirty: false, huge: false });
  if (!vma.shared) {
    wpPageCopy(ctx, w, vma, 'write'); // do_cow_fault()
    return 0;
  }
  doPageMkwrite(w, f); // do_shared_fault()
  vma.pte = mkPte(f.id, { writable: true, dirty: true, huge: false });
  return 0;
}
