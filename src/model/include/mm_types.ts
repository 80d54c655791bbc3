import { EFAULT, type KernelResult } from './errno.js';
import { fresh, type Own } from './own.js';

/**
 * The mm state pinlab models, as plain data: folios, page-table entries, VMAs and mms.
 * @kernel include/linux/mm_types.h
 */

/** GUP_PIN_COUNTING_BIAS: a FOLL_PIN on a small folio adds this to _refcount. @kernel include/linux/mm.h */
export const GUP_PIN_COUNTING_BIAS = 1024;

/**
 * What a fault handler returns that the model tells apart (vm_fault_t): handled (0), VM_FAULT_SIGBUS
 * (a file page past i_size) or VM_FAULT_SIGSEGV (an access the VMA forbids). The values are the
 * kernel's (include/linux/mm_types.h: the 5.10 tree's :738 and :743, 6.1 :888/:893, 6.12
 * :1320/:1324, 7.2 :1678/:1682).
 * @kernel include/linux/mm_types.h:vm_fault_reason
 */
export const VM_FAULT_SIGBUS = 0x0002;
export const VM_FAULT_SIGSEGV = 0x0040;
export type VmFault = 0 | typeof VM_FAULT_SIGBUS | typeof VM_FAULT_SIGSEGV;

/**
 * vm_fault_to_errno(): what a kernel caller of a fault (GUP's faultin_page(), fixup_user_fault())
 * returns for one that failed: -EFAULT for VM_FAULT_SIGBUS and VM_FAULT_SIGSEGV alike (the 5.10 tree's
 * include/linux/mm.h:2897, 6.1 :3161, 6.12 :3656, 7.2 :4615); the caller gets no signal.
 * @kernel include/linux/mm.h:vm_fault_to_errno
 */
export function vmFaultToErrno(r: VmFault): KernelResult {
  return r === 0 ? 0 : -EFAULT;
}

/** PMD order on x86-64 with 4 KiB pages (2 MiB), and PUD order (1 GiB). */
export const HPAGE_PMD_ORDER = 9;
export const HPAGE_PUD_ORDER = 18;

/**
 * What kind of memory a folio is. `zero` and `huge-zero` are the shared zero pages; `vmalloc` is kernel
 * memory reached through a KVEC (never mapped to user space, never ref-counted by GUP); `slab` is a
 * kmalloc() object's slab folio (folio_test_slab(); MODEL: one object per slab folio).
 */
export type FolioKind = 'small' | 'thp' | 'hugetlb' | 'zero' | 'huge-zero' | 'vmalloc' | 'slab';

/** Who owns the folio's identity: anonymous memory, a file's page cache, or nobody (zero page, kernel). */
export type FolioOwner =
  | { readonly type: 'anon' }
  | { readonly type: 'file'; readonly file: number; readonly index: number }
  | { readonly type: 'none' };

/**
 * A folio's page flags. Replaced, never written (setFolioFlag): a step's copy of a folio shares its
 * parent's flags until a flag changes, so the many steps that only move a counter copy no flags and
 * the state key's diff skips them.
 */
export interface FolioFlags {
  readonly dirty: boolean; // PG_dirty
  readonly writeback: boolean; // PG_writeback
  readonly locked: boolean; // PG_locked
  readonly uptodate: boolean; // PG_uptodate
  readonly anonExclusive: boolean; // PG_anon_exclusive (MODEL: one bit per folio, not per subpage)
  readonly swapcache: boolean; // PG_swapcache
  readonly lru: boolean; // PG_lru
  readonly buffers: boolean; // PG_private: the filesystem's buffer_heads / iomap state are attached
}

/**
 * struct folio. MODEL: a folio's contents are one token (`data`) naming the last write or DMA that
 * filled it; partial writes into a large folio are not modelled. `mapcount` is the number of
 * page-table entries mapping the folio (folio_mapcount(), without the kernel's -1 offset).
 */
export interface Folio {
  readonly id: number;
  readonly kind: FolioKind;
  readonly order: number;
  readonly refcount: number; // _refcount
  readonly mapcount: number; // folio_mapcount()
  readonly pincount: number; // _pincount, large folios only
  readonly flags: FolioFlags;
  readonly owner: FolioOwner;
  readonly data: string;
  /** The folio reached refcount 0 and went back to the allocator; its id is never reused. */
  readonly freed: boolean;
}

/** A step's own copy of a folio (ownFolio). */
export type OwnFolio = Own<
  Folio,
  'refcount' | 'mapcount' | 'pincount' | 'flags' | 'owner' | 'data' | 'freed'
>;

/** A page-table entry (PTE, or PMD/PUD for a huge mapping). */
export type Pte =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'present';
      readonly folio: number;
      readonly writable: boolean;
      readonly dirty: boolean;
      /** Mapped by a PMD/PUD (PMD-mapped THP, hugetlb, huge zero page), not by a PTE. */
      readonly huge: boolean;
    }
  /** A swap entry; `exclusive` is the swp pte bit that remembers PageAnonExclusive (v5.19). */
  | { readonly kind: 'swap'; readonly slot: number; readonly exclusive: boolean };

export const PTE_NONE: Pte = { kind: 'none' };

/** A present entry (what follow_page_pte() looks at). */
export type PresentPte = Extract<Pte, { kind: 'present' }>;

/** What backs a VMA: anonymous memory, or a file (shmem/memfd, or a disk file) at a page offset. */
export type VmaBacking =
  { readonly type: 'anon' } | { readonly type: 'file'; readonly file: number; readonly pgoff: number };

/**
 * struct vm_area_struct, reduced to one mapped unit. MODEL: every VMA (a scenario buffer) maps exactly
 * one page-table entry: one base page, one large folio (PMD-mapped or PTE-mapped as a unit), or one
 * hugetlb page.
 */
export interface Vma {
  readonly name: string;
  /** Changes: shmem_zero_setup() gives a shared anonymous VMA its shmem (or hugetlbfs) file. */
  readonly backing: VmaBacking;
  readonly shared: boolean; // VM_SHARED
  readonly hugetlb: boolean; // is_vm_hugetlb_page()
  /** Order of the folio a fault allocates: 0, a THP order (anon with THP enabled), or the hugetlb order. */
  readonly order: number;
  readonly read: boolean; // VM_READ
  readonly write: boolean; // VM_WRITE
  readonly mayWrite: boolean; // VM_MAYWRITE
  readonly dontfork: boolean; // VM_DONTCOPY (MADV_DONTFORK)
  readonly wipeonfork: boolean; // VM_WIPEONFORK (MADV_WIPEONFORK)
  /** anon_vma was prepared (an anonymous page was faulted in): fork copies this VMA's page tables. */
  readonly anonVma: boolean;
  readonly pte: Pte;
}

/** A VMA of a step's own copy of an mm. */
export type OwnVma = Own<Vma, 'backing' | 'read' | 'write' | 'dontfork' | 'wipeonfork' | 'anonVma' | 'pte'>;

/** struct mm_struct. */
export interface Mm {
  readonly id: number;
  readonly alive: boolean;
  /** MMF_HAS_PINNED (mm->has_pinned before v5.14): set by the first FOLL_PIN, never cleared. */
  readonly hasPinned: boolean;
  /** mm->write_protect_seq, bumped (by two) around each fork. */
  readonly writeProtectSeq: number;
  readonly vmas: readonly Vma[];
}

/** A step's own copy of an mm (ownMm): its VMAs are its own too. */
export type OwnMm = Own<Omit<Mm, 'vmas'>, 'alive' | 'hasPinned' | 'writeProtectSeq'> & { vmas: OwnVma[] };

/** A swap slot: the data written out, and how many swap PTEs reference it (swap_map count). */
export interface SwapSlot {
  readonly id: number;
  readonly data: string;
  readonly count: number;
  /** The folio still in the swap cache for this slot, or null. */
  readonly cache: number | null;
}

/** A step's own copy of a swap slot (ownSwapSlot). */
export type OwnSwapSlot = Own<SwapSlot, 'data' | 'count' | 'cache'>;

/** is_cow_mapping(): private and may-write. @kernel include/linux/mm.h:is_cow_mapping */
export function isCowMapping(vma: Vma): boolean {
  return !vma.shared && vma.mayWrite;
}

/** A folio's flags as a new object (folio_alloc()'s and setFolioFlag's: one V8 shape). */
export function folioFlags(f: FolioFlags): FolioFlags {
  return {
    dirty: f.dirty,
    writeback: f.writeback,
    locked: f.locked,
    uptodate: f.uptodate,
    anonExclusive: f.anonExclusive,
    swapcache: f.swapcache,
    lru: f.lru,
    buffers: f.buffers,
  };
}

/** folio_set_*() / folio_clear_*(): set one page flag of a step's copy of a folio. */
export function setFolioFlag(f: OwnFolio, flag: keyof FolioFlags, on: boolean): void {
  if (f.flags[flag] === on) return;
  const next: { -readonly [K in keyof FolioFlags]: boolean } = folioFlags(f.flags);
  next[flag] = on;
  f.flags = next;
}

/** A VMA as a new object (fork's vm_area_dup() and a copy's: one V8 shape); its pte and backing are shared. */
export function copyVma(v: Vma): OwnVma {
  return fresh<Vma, OwnVma>({
    name: v.name,
    backing: v.backing,
    shared: v.shared,
    hugetlb: v.hugetlb,
    order: v.order,
    read: v.read,
    write: v.write,
    mayWrite: v.mayWrite,
    dontfork: v.dontfork,
    wipeonfork: v.wipeonfork,
    anonVma: v.anonVma,
    pte: v.pte,
  });
}
