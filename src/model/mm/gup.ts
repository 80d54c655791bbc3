import { EFAULT, EINVAL, ENOMEM, type KernelResult } from '../include/errno.js';
import {
  FOLL_FORCE,
  FOLL_GET,
  FOLL_LONGTERM,
  FOLL_NOFAULT,
  FOLL_PIN,
  FOLL_TOUCH,
  FOLL_WRITE,
  INTERNAL_GUP_FLAGS,
} from '../include/foll.js';
import { fileIsMemoryBacked } from '../include/fs.js';
import {
  GUP_PIN_COUNTING_BIAS,
  isCowMapping,
  type OwnFolio,
  type OwnVma,
  type PresentPte,
  vmFaultToErrno,
} from '../include/mm_types.js';
import type { Ctx } from '../core/ctx.js';
import { bug } from '../core/world.js';
import {
  folioMarkDirty,
  folioPutRefs,
  folioTestAnon,
  folioTestLarge,
  isAnyZeroFolio,
  isZeroFolio,
  touchFreed,
} from './folio.js';
import { handleMmFault, type FaultKind } from './memory/fault.js';
import { ownVmaAt, type VmaRef } from './pgtable.js';
import { ownFile, ownFolio, ownMm, type Draft } from '../core/cow.js';

/** What a GUP call returns: the number of pages (or a negative errno) and the folios grabbed. */
interface GupResult {
  readonly ret: KernelResult;
  readonly folios: readonly number[];
}

/**
 * try_grab_folio(): take a FOLL_GET reference or a FOLL_PIN pin. A pin on a small folio adds
 * GUP_PIN_COUNTING_BIAS to _refcount; on a large folio it adds 1 to _refcount and 1 to _pincount;
 * on the shared zero page it counts nothing since v6.5 (the huge zero page is still pinned: the
 * kernel's is_zero_folio() tests only the small one).
 * @kernel mm/gup.c:try_grab_folio
 */
export function tryGrabFolio(ctx: Ctx, f: OwnFolio, refs: number, flags: number): KernelResult {
  if (touchFreed(ctx, f, 'grab') || f.refcount <= 0) return -ENOMEM;
  if (flags & FOLL_GET) {
    f.refcount += refs;
  } else if (flags & FOLL_PIN) {
    if (isZeroFolio(f) && ctx.policies['gup.pinZeroPage'] === 'not-counted') return 0;
    if (folioTestLarge(f)) {
      f.refcount += refs;
      f.pincount += refs;
    } else {
      f.refcount += refs * GUP_PIN_COUNTING_BIAS;
    }
  }
  return 0;
}

/**
 * gup_put_folio(): undo one grab, the same way it was taken.
 * @kernel mm/gup.c:gup_put_folio
 */
export function gupPutFolio(ctx: Ctx, w: Draft, f: OwnFolio, refs: number, flags: number): void {
  if (flags & FOLL_PIN) {
    if (isZeroFolio(f) && ctx.policies['gup.pinZeroPage'] === 'not-counted') return;
    if (folioTestLarge(f)) {
      f.pincount -= refs;
      if (f.pincount < 0)
        ctx.events.push({ type: 'counter-mismatch', folio: f.id, what: 'negative-pincount' });
    } else {
      refs *= GUP_PIN_COUNTING_BIAS;
    }
  }
  folioPutRefs(ctx, w, f, refs);
}

/**
 * is_valid_gup_args() (v6.3, policy gup.argCheck=args): FOLL_GET and FOLL_PIN exclude each other,
 * FOLL_LONGTERM needs FOLL_PIN, and callers may not pass internal flags. `internal` is the flag the
 * wrapper itself adds.
 * @kernel mm/gup.c:is_valid_gup_args
 */
export function isValidGupArgs(flags: number, internal: number): boolean {
  if (flags & INTERNAL_GUP_FLAGS) return false;
  const all = flags | internal;
  if ((all & (FOLL_PIN | FOLL_GET)) === (FOLL_PIN | FOLL_GET)) return false;
  if (all & FOLL_LONGTERM && !(all & FOLL_PIN)) return false;
  return true;
}

/**
 * The entry points' flag check before v6.3 (policy gup.argCheck=flags): is_valid_gup_flags() in
 * get_user_pages*() refuses FOLL_PIN and, once FOLL_PIN exists, FOLL_LONGTERM (v5.2 to v5.6 took a
 * longterm FOLL_GET); pin_user_pages*() refuse only FOLL_GET. Other internal flags pass. From v6.3
 * every entry point calls is_valid_gup_args().
 */
function gupArgsValid(ctx: Ctx, flags: number, internal: number): boolean {
  if (ctx.policies['gup.argCheck'] === 'args') return isValidGupArgs(flags, internal);
  if (internal === FOLL_PIN) return (flags & FOLL_GET) === 0;
  const refused = ctx.policies['gup.pin'] === 'absent' ? FOLL_PIN : FOLL_PIN | FOLL_LONGTERM;
  return (flags & refused) === 0;
}

/**
 * vma_needs_dirty_tracking(): a shared mapping of a file whose filesystem writes back dirty pages.
 * @kernel mm/vma.c:vma_needs_dirty_tracking
 */
function vmaNeedsDirtyTracking(w: Draft, vma: OwnVma): boolean {
  return vma.shared && vma.backing.type === 'file' && !fileIsMemoryBacked(ownFile(w, vma.backing.file));
}

/**
 * check_vma_flags(): may this GUP touch this VMA at all? Writes need VM_WRITE, or FOLL_FORCE in a COW
 * mapping, which v6.0 to v6.12 refuse for hugetlb (policy hugetlb.forceWrite); since v6.5 a writable FOLL_LONGTERM pin of a mapping that needs dirty tracking is refused
 * (writable_file_mapping_allowed()).
 * @kernel mm/gup.c:check_vma_flags
 */
export function checkVmaFlags(ctx: Ctx, w: Draft, vma: OwnVma, flags: number): KernelResult {
  if (flags & FOLL_WRITE) {
    if (!vma.write && (!(flags & FOLL_FORCE) || !isCowMapping(vma))) return -EFAULT;
    if (!vma.write && vma.hugetlb && ctx.policies['hugetlb.forceWrite'] === 'refuse') return -EFAULT;
    if (
      flags & FOLL_LONGTERM &&
      ctx.policies['gup.longtermWriteFile'] === 'refuse-dirty-tracked' &&
      vmaNeedsDirtyTracking(w, vma)
    )
      return -EFAULT;
  } else if (!vma.read && !(flags & FOLL_FORCE)) {
    return -EFAULT;
  }
  return 0;
}

/**
 * gup_must_unshare(): must this R/O pin first make the page exclusive (FAULT_FLAG_UNSHARE)? Only for
 * FOLL_PIN without FOLL_WRITE: anonymous pages that are not PageAnonExclusive (v5.19), and since v6.2
 * any page of a COW mapping for FOLL_LONGTERM (page cache, zero page).
 * @kernel mm/internal.h:gup_must_unshare
 */
export function gupMustUnshare(ctx: Ctx, vma: OwnVma, flags: number, f: OwnFolio): boolean {
  const rule = ctx.policies['gup.unshare'];
  if (rule === 'none' || (flags & (FOLL_PIN | FOLL_WRITE)) !== FOLL_PIN) return false;
  if (!folioTestAnon(f))
    return rule === 'anon+cow-longterm' && (flags & FOLL_LONGTERM) !== 0 && isCowMapping(vma);
  return !f.flags.anonExclusive;
}

/**
 * can_follow_write_pte(): a write GUP may use a read-only entry only under FOLL_FORCE in a private,
 * may-write, currently read-only mapping (ptrace, /proc/pid/mem), and only once COW is broken there.
 * Before v6.0 "broken" meant FOLL_COW: this very GUP call took a write fault (`cowed`) and the entry
 * is dirty. From v6.0 it means the mapped page is PageAnonExclusive, which no earlier fault of
 * another call can fake.
 * @kernel mm/gup.c:can_follow_write_pte
 */
function canFollowWritePte(
  ctx: Ctx,
  vma: OwnVma,
  f: OwnFolio,
  pte: PresentPte,
  flags: number,
  cowed: boolean,
): boolean {
  if (pte.writable) return true;
  if (!(flags & FOLL_FORCE) || !isCowMapping(vma) || vma.write) return false;
  if (ctx.policies['gup.forceWriteFollow'] === 'anon-exclusive')
    return folioTestAnon(f) && f.flags.anonExclusive;
  return cowed && pte.dirty;
}

/** The fault follow_page_mask() asks for, or null when the entry can be grabbed as it is. */
function faultNeeded(ctx: Ctx, w: Draft, vma: OwnVma, flags: number, cowed: boolean): FaultKind | null {
  const pte = vma.pte;
  const write = (flags & FOLL_WRITE) !== 0;
  if (pte.kind !== 'present') return write ? 'write' : 'read';
  const f = ownFolio(w, pte.folio);
  if (write && !canFollowWritePte(ctx, vma, f, pte, flags, cowed)) return 'write';
  // follow_page_pte() returns -EMLINK; a writable entry maps an exclusive page already.
  if (!pte.writable && gupMustUnshare(ctx, vma, flags, f)) return 'unshare';
  return null;
}

/**
 * should_force_cow_break() (v5.8 only): every FOLL_GET or FOLL_PIN grab in a COW mapping is turned
 * into a write grab, so a read-only grab breaks COW at once and keeps the page this process maps.
 * MODEL: only where the VMA is writable; the kernel also broke COW in a read-only private mapping
 * (through FOLL_COW), which the model's fault path does not reproduce.
 * @kernel mm/gup.c:should_force_cow_break
 */
function shouldForceCowBreak(ctx: Ctx, vma: OwnVma, flags: number): boolean {
  if (ctx.policies['gup.forceCowBreak'] !== 'on') return false;
  return isCowMapping(vma) && vma.write && (flags & (FOLL_GET | FOLL_PIN)) !== 0;
}

/**
 * __get_user_pages(): for the one entry a VMA maps, fault until follow_page_mask() can grab it
 * (write faults for FOLL_WRITE, unshare faults for R/O pins), then grab it. With FOLL_TOUCH a write GUP
 * dirties the folio of a clean entry (follow_page_pte(): 5.10.262 mm/gup.c:509, 6.12.117 :932).
 * v5.8 forced a COW break for every grab in a COW mapping (hugetlb too). MMF_HAS_PINNED is set before
 * the VMA is looked at (__get_user_pages_locked(): 5.10.262 mm/gup.c:1272, 6.1.176 :1437, 6.12.117
 * :1747, 7.2.13 :1676), so a pin that fails still marks the mm.
 * `fast` is the *_fast() entry: GUP-fast grabs an entry that needs no fault without FOLL_TOUCH, and
 * only its fallback to the slow path (after a fault) touches.
 * MODEL: GUP over one entry is one atomic step; GUP-fast gives the same result as the slow path it
 * falls back to (fork is atomic here, so the write_protect_seq race cannot arise), and it falls back
 * only when a fault is needed.
 * @kernel mm/gup.c:__get_user_pages
 */
export function __getUserPages(ctx: Ctx, w: Draft, at: VmaRef, gupFlags: number, fast = false): GupResult {
  const vma = ownVmaAt(w, at);
  if (gupFlags & FOLL_PIN) ownMm(w, at.mm).hasPinned = true; // mm_set_has_pinned_flag()
  const err = checkVmaFlags(ctx, w, vma, gupFlags);
  if (err < 0) return { ret: err, folios: [] };
  let flags = gupFlags;
  if (shouldForceCowBreak(ctx, vma, flags)) flags |= FOLL_WRITE;
  let cowed = false; // FOLL_COW (before v6.0): a write fault was taken by this call
  let slow = !fast; // the slow path (follow_page_pte()) grabs the entry
  for (let tries = 0; tries < 4; tries++) {
    const fault = faultNeeded(ctx, w, vma, flags, cowed);
    if (fault !== null) {
      slow = true;
      if (flags & FOLL_NOFAULT) return { ret: -EFAULT, folios: [] };
      // faultin_page(): a fault that failed is vm_fault_to_errno()'s -EFAULT (past i_size too).
      const r = handleMmFault(ctx, w, at, fault, (flags & FOLL_FORCE) !== 0);
      if (r !== 0) return { ret: vmFaultToErrno(r), folios: [] };
      cowed ||= fault === 'write';
      continue;
    }
    const pte = vma.pte;
    if (pte.kind !== 'present') return bug('__getUserPages', 'no entry after fault');
    const f = ownFolio(w, pte.folio);
    const r = tryGrabFolio(ctx, f, 1, flags);
    if (r < 0) return { ret: r, folios: [] };
    if (
      slow &&
      flags & FOLL_TOUCH &&
      flags & FOLL_WRITE &&
      !pte.dirty &&
      !f.flags.dirty &&
      !isAnyZeroFolio(f)
    )
      folioMarkDirty(f);
    return { ret: 1, folios: [f.id] };
  }
  return bug('__getUserPages', 'fault loop did not converge');
}

/**
 * get_user_pages(): FOLL_GET references, with FOLL_TOUCH (5.10.262 mm/gup.c:1936, 7.2.13 :2655);
 * get_user_pages_fast() (`fast`) touches only in its slow-path fallback. Until FOLL_PIN existed it
 * took FOLL_LONGTERM itself (v5.2; get_user_pages_longterm() before); from then FOLL_LONGTERM needs
 * FOLL_PIN (is_valid_gup_flags(): the 5.10 tree's mm/gup.c:1785, 6.1's :2184).
 * @kernel mm/gup.c:get_user_pages
 */
export function getUserPages(ctx: Ctx, w: Draft, at: VmaRef, gupFlags: number, fast = false): GupResult {
  if (!gupArgsValid(ctx, gupFlags, FOLL_GET)) return { ret: -EINVAL, folios: [] };
  return __getUserPages(ctx, w, at, gupFlags | FOLL_GET | FOLL_TOUCH, fast);
}

/**
 * pin_user_pages(): FOLL_PIN pins (v5.6; counted from v5.7). Unlike get_user_pages() it does not set
 * FOLL_TOUCH, so a write pin does not dirty the folio of a clean writable entry (5.10.262
 * mm/gup.c:2982, 6.1.176 :3304, 6.12.117 :3640, 7.2.13 :3382); pin_user_pages_fast() (`fast`) does
 * set it for its slow-path fallback (5.10.262 :2030 in get_user_pages_unlocked(), 6.12.117 :3475), where
 * a fault was needed.
 * @kernel mm/gup.c:pin_user_pages
 */
export function pinUserPages(ctx: Ctx, w: Draft, at: VmaRef, gupFlags: number, fast = false): GupResult {
  if (ctx.policies['gup.pin'] === 'absent')
    return bug('pinUserPages', 'pin_user_pages() does not exist in this profile');
  if (!gupArgsValid(ctx, gupFlags, FOLL_PIN)) {
    // is_valid_gup_args() failing makes pin_user_pages() (not the _fast one) return 0 pages.
    const zero = ctx.policies['gup.argCheck'] === 'args' && !fast;
    return { ret: zero ? 0 : -EINVAL, folios: [] };
  }
  return __getUserPages(ctx, w, at, gupFlags | FOLL_PIN | (fast ? FOLL_TOUCH : 0), fast);
}

/** unpin_user_page() @kernel mm/gup.c:unpin_user_page */
export function unpinUserPage(ctx: Ctx, w: Draft, f: OwnFolio): void {
  gupPutFolio(ctx, w, f, 1, FOLL_PIN);
}

/**
 * unpin_user_pages_dirty_lock(): with make_dirty, dirty every folio not already dirty (under the folio
 * lock), then unpin. The racy "already dirty" test is harmless: a folio being cleaned is either about
 * to be written back or gets written once more.
 * @kernel mm/gup.c:unpin_user_pages_dirty_lock
 */
export function unpinUserPagesDirtyLock(
  ctx: Ctx,
  w: Draft,
  folios: readonly number[],
  makeDirty: boolean,
): void {
  for (const id of folios) {
    const f = ownFolio(w, id);
    if (makeDirty && !f.flags.dirty && !touchFreed(ctx, f, 'cpu-write')) folioMarkDirty(f);
    unpinUserPage(ctx, w, f);
  }
}

/**
 * put_page() on a FOLL_GET reference; from v6.14 (policy mm.slabRefcount) a slab folio has none to
 * drop and put_page() returns (the 7.2 tree's include/linux/mm.h:2190).
 * @kernel include/linux/mm.h:put_page
 */
export function putPage(ctx: Ctx, w: Draft, f: OwnFolio): void {
  if (f.kind === 'slab' && ctx.policies['mm.slabRefcount'] === 'frozen') return;
  gupPutFolio(ctx, w, f, 1, FOLL_GET);
}
