import { describe, expect, it } from 'vitest';
import { EFAULT, EINVAL, ENOMEM } from '../../../src/model/include/errno.js';
import {
  FOLL_FAST_ONLY,
  FOLL_FORCE,
  FOLL_GET,
  FOLL_LONGTERM,
  FOLL_NOFAULT,
  FOLL_PIN,
  FOLL_TOUCH,
  FOLL_WRITE,
} from '../../../src/model/include/foll.js';
import { GUP_PIN_COUNTING_BIAS, HPAGE_PMD_ORDER, setFolioFlag } from '../../../src/model/include/mm_types.js';
import { dupMm } from '../../../src/model/kernel/fork.js';
import { folioAlloc } from '../../../src/model/mm/folio.js';
import {
  checkVmaFlags,
  getUserPages,
  gupMustUnshare,
  gupPutFolio,
  isValidGupArgs,
  pinUserPages,
  tryGrabFolio,
  unpinUserPagesDirtyLock,
} from '../../../src/model/mm/gup.js';
import { handleMmFault } from '../../../src/model/mm/memory/fault.js';
import { KERNELS, RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../../../src/model/profile/release.js';

import { ownFolio } from '../../../src/model/core/cow.js';
import { HUGETLB, THP, anonMap, bench, fileMap, fileSpec } from '../builders.js';
import { opDef, type Op } from '../../../src/model/ops/index.js';
import { profile } from '../harness.js';

const ANON = { type: 'anon' } as const;
const PIN_RELEASES = RELEASES.filter((r) => releaseAtLeast(r, 'v5.8'));

describe('tryGrabFolio', () => {
  it('adds one reference for FOLL_GET on a small folio', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    expect(tryGrabFolio(b.ctx, f, 1, FOLL_GET)).toBe(0);
    expect(f.refcount).toBe(2);
    expect(f.pincount).toBe(0);
  });
  it('adds GUP_PIN_COUNTING_BIAS for FOLL_PIN on a small folio', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    expect(f.refcount).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(f.pincount).toBe(0);
  });
  it.each([
    ['thp', HPAGE_PMD_ORDER],
    ['hugetlb', HPAGE_PMD_ORDER],
  ] as const)('adds one reference and one pin for FOLL_PIN on a large %s folio', (kind, order) => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, kind, order, ANON, 'A');
    tryGrabFolio(b.ctx, f, 2, FOLL_PIN);
    expect(f.refcount).toBe(3);
    expect(f.pincount).toBe(2);
  });
  it.each(PIN_RELEASES)('counts a pin on the shared zero page only before v6.5 (%s)', (r) => {
    const b = bench(r, []);
    const zero = ownFolio(b.w, b.w.zeroPage);
    expect(tryGrabFolio(b.ctx, zero, 1, FOLL_PIN)).toBe(0);
    expect(zero.refcount).toBe(releaseAtLeast(r, 'v6.5') ? 1 : 1 + GUP_PIN_COUNTING_BIAS);
  });
  it.each([
    ['v6.1', 1 + GUP_PIN_COUNTING_BIAS],
    ['v6.1.y', 1],
  ] as const)(
    '%s: the 6.1.176 tree carries "mm: Don\'t pin ZERO_PAGE in pin_user_pages()" (mm/gup.c:136): refcount %i',
    (k, refcount) => {
      const b = bench(k, []);
      const zero = ownFolio(b.w, b.w.zeroPage);
      expect(tryGrabFolio(b.ctx, zero, 1, FOLL_PIN)).toBe(0);
      expect(zero.refcount).toBe(refcount);
    },
  );
  it.each(PIN_RELEASES)('pins the huge zero page like any large folio (%s)', (r) => {
    const b = bench(r, []);
    const hz = ownFolio(b.w, b.w.hugeZeroPage);
    tryGrabFolio(b.ctx, hz, 1, FOLL_PIN);
    expect(hz.refcount).toBe(2);
    expect(hz.pincount).toBe(1);
  });
  it('takes a plain reference on the zero page for FOLL_GET in every release', () => {
    for (const r of RELEASES) {
      const b = bench(r, []);
      const zero = ownFolio(b.w, b.w.zeroPage);
      tryGrabFolio(b.ctx, zero, 1, FOLL_GET);
      expect(zero.refcount).toBe(2);
    }
  });
  it('does nothing without FOLL_GET or FOLL_PIN', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    expect(tryGrabFolio(b.ctx, f, 1, 0)).toBe(0);
    expect(f.refcount).toBe(1);
  });
  it('refuses a freed folio with -ENOMEM and reports the use after free', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_GET);
    expect(tryGrabFolio(b.ctx, f, 1, FOLL_GET)).toBe(-ENOMEM);
    expect(b.ctx.events).toContainEqual({ type: 'use-after-free', folio: f.id, access: 'grab' });
  });
});

describe('gupPutFolio', () => {
  it('drops GUP_PIN_COUNTING_BIAS for a pin on a small folio', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_PIN);
    expect(f.refcount).toBe(1);
    expect(b.ctx.events).toEqual([]);
  });
  it('drops one reference and one pin for a pin on a large folio', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'thp', HPAGE_PMD_ORDER, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_PIN);
    expect([f.refcount, f.pincount]).toEqual([1, 0]);
  });
  it.each(PIN_RELEASES)('undoes a zero-page pin exactly as it was taken (%s)', (r) => {
    const b = bench(r, []);
    const zero = ownFolio(b.w, b.w.zeroPage);
    tryGrabFolio(b.ctx, zero, 1, FOLL_PIN);
    gupPutFolio(b.ctx, b.w, zero, 1, FOLL_PIN);
    expect(zero.refcount).toBe(1);
    expect(zero.freed).toBe(false);
  });
  it('frees the folio when the last reference goes', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_GET);
    expect(f.freed).toBe(true);
  });
  it('reports a negative pincount when a large folio is unpinned without a pin', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'thp', HPAGE_PMD_ORDER, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_PIN);
    expect(b.ctx.events).toContainEqual({ type: 'counter-mismatch', folio: f.id, what: 'negative-pincount' });
  });
  it('reports a negative refcount when a FOLL_GET reference on a small folio is unpinned', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    gupPutFolio(b.ctx, b.w, f, 1, FOLL_PIN);
    expect(b.ctx.events).toContainEqual({ type: 'counter-mismatch', folio: f.id, what: 'negative-refcount' });
  });
});

describe('unpinUserPagesDirtyLock', () => {
  it('dirties a clean folio before unpinning it when asked to', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    unpinUserPagesDirtyLock(b.ctx, b.w, [f.id], true);
    expect(f.flags.dirty).toBe(true);
    expect(f.refcount).toBe(1);
  });
  it('only unpins when make_dirty is false', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    unpinUserPagesDirtyLock(b.ctx, b.w, [f.id], false);
    expect(f.flags.dirty).toBe(false);
  });
});

describe('isValidGupArgs', () => {
  it('accepts FOLL_WRITE | FOLL_LONGTERM | FOLL_FORCE for pin_user_pages()', () => {
    expect(isValidGupArgs(FOLL_WRITE | FOLL_LONGTERM | FOLL_FORCE, FOLL_PIN)).toBe(true);
  });
  it('refuses FOLL_GET passed to pin_user_pages() (FOLL_GET and FOLL_PIN exclude each other)', () => {
    expect(isValidGupArgs(FOLL_GET, FOLL_PIN)).toBe(false);
  });
  it('refuses FOLL_LONGTERM without FOLL_PIN', () => {
    expect(isValidGupArgs(FOLL_LONGTERM, FOLL_GET)).toBe(false);
  });
  it.each([
    ['FOLL_PIN', FOLL_PIN],
    ['FOLL_TOUCH', FOLL_TOUCH],
    ['FOLL_FAST_ONLY', FOLL_FAST_ONLY],
  ])('refuses the internal flag %s from callers', (_, flag) => {
    expect(isValidGupArgs(flag, FOLL_GET)).toBe(false);
  });
  it.each(KERNELS)(
    '%s: get_user_pages() takes FOLL_LONGTERM only before FOLL_PIN existed (5.10.262 mm/gup.c:1785)',
    (k) => {
      const b = bench(k, [anonMap('buf')]);
      const before = b.ctx.policies['gup.pin'] === 'absent';
      expect(getUserPages(b.ctx, b.w, b.at('buf'), FOLL_LONGTERM).ret).toBe(before ? 1 : -EINVAL);
    },
  );
});

describe('checkVmaFlags', () => {
  it('refuses a write to a read-only mapping without FOLL_FORCE', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    b.vma('buf').write = false;
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_WRITE)).toBe(-EFAULT);
  });
  it('allows a FOLL_FORCE write to a read-only private (COW) mapping', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    b.vma('buf').write = false;
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_WRITE | FOLL_FORCE)).toBe(0);
  });
  it('refuses a FOLL_FORCE write to a read-only shared mapping', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true, false)], [fileSpec('f', 'shmem')]);
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_WRITE | FOLL_FORCE)).toBe(-EFAULT);
  });
  it('refuses a read of a PROT_NONE mapping unless FOLL_FORCE', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    b.vma('buf').read = false;
    b.vma('buf').write = false;
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), 0)).toBe(-EFAULT);
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_FORCE)).toBe(0);
  });
  it.each(PIN_RELEASES)(
    'refuses a longterm writable pin of a shared ext4 mapping from v6.5 only (%s)',
    (r) => {
      const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
      const flags = FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM;
      expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), flags)).toBe(releaseAtLeast(r, 'v6.5') ? -EFAULT : 0);
    },
  );
  it.each(PIN_RELEASES)('allows a longterm writable pin of a shared shmem mapping (%s)', (r) => {
    const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM)).toBe(0);
  });
  it.each(PIN_RELEASES)('allows a longterm writable pin of a private ext4 mapping (%s)', (r) => {
    const b = bench(r, [fileMap('buf', 0, false)], [fileSpec('f', 'ext4')]);
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM)).toBe(0);
  });
  it('allows a short-term writable pin of a shared ext4 mapping on v6.5', () => {
    const b = bench('v6.5', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    expect(checkVmaFlags(b.ctx, b.w, b.vma('buf'), FOLL_PIN | FOLL_WRITE)).toBe(0);
  });
});

describe('gupMustUnshare', () => {
  /** A private anon page shared with nobody but not marked exclusive (as after fork + child exit). */
  function sharedAnon(release: string) {
    const b = bench(release, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const f = b.folio('buf');
    setFolioFlag(f, 'anonExclusive', false);
    return { b, f };
  }
  it.each(RELEASES)('asks an R/O pin of a non-exclusive anon page to unshare from v5.19 only (%s)', (r) => {
    const { b, f } = sharedAnon(r);
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN, f)).toBe(releaseAtLeast(r, 'v5.19'));
  });
  it('leaves an exclusive anon page alone', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN | FOLL_LONGTERM, b.folio('buf'))).toBe(false);
  });
  it('never applies to write pins or to FOLL_GET references', () => {
    const { b, f } = sharedAnon('v6.6');
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN | FOLL_WRITE, f)).toBe(false);
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_GET, f)).toBe(false);
  });
  it.each(RELEASES)(
    'asks a longterm R/O pin of a page-cache page in a private mapping to unshare from v6.2 only (%s)',
    (r) => {
      const b = bench(r, [fileMap('buf', 0, false)], [fileSpec('f', 'ext4')]);
      handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
      const f = b.folio('buf');
      expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN | FOLL_LONGTERM, f)).toBe(
        releaseAtLeast(r, 'v6.2'),
      );
      expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN, f)).toBe(false);
    },
  );
  it('leaves a page-cache page of a shared mapping alone', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN | FOLL_LONGTERM, b.folio('buf'))).toBe(false);
  });
  it.each(RELEASES)('asks a longterm R/O pin of the zero page to unshare from v6.2 only (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const zero = b.folio('buf');
    expect(zero.kind).toBe('zero');
    expect(gupMustUnshare(b.ctx, b.vma('buf'), FOLL_PIN | FOLL_LONGTERM, zero)).toBe(
      releaseAtLeast(r, 'v6.2'),
    );
  });
});

describe('pinUserPages', () => {
  it('faults in an exclusive, writable page for a write pin and sets MMF_HAS_PINNED', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    const r = pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_LONGTERM);
    expect(r.ret).toBe(1);
    const f = b.folio('buf');
    expect(r.folios).toEqual([f.id]);
    expect(f.flags.anonExclusive).toBe(true);
    expect(f.refcount).toBe(1 + GUP_PIN_COUNTING_BIAS);
    expect(b.w.mms[0]?.hasPinned).toBe(true);
  });
  it('pins the shared zero page itself for a short-term R/O pin', () => {
    const b = bench('v6.6', [anonMap('buf')]);
    const r = pinUserPages(b.ctx, b.w, b.at('buf'), 0);
    expect(r.folios).toEqual([b.w.zeroPage]);
  });
  it.each(['v6.1', 'v6.2'])(
    'replaces the zero page by an anonymous copy for a longterm R/O pin on %s',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      const got = pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_LONGTERM);
      const unshared = r === 'v6.2';
      expect(got.folios[0] === b.w.zeroPage).toBe(!unshared);
      if (unshared) {
        const pte = b.vma('buf').pte;
        expect(pte.kind === 'present' && !pte.writable).toBe(true);
      }
    },
  );
  it('pins the PMD-mapped huge zero page (not unshared) for a short-term R/O pin of a THP area', () => {
    const b = bench('v6.6', [anonMap('buf', THP)]);
    const r = pinUserPages(b.ctx, b.w, b.at('buf'), 0);
    expect(r.folios).toEqual([b.w.hugeZeroPage]);
    expect(ownFolio(b.w, b.w.hugeZeroPage).pincount).toBe(1);
  });
  // A read fault on a shared shmem mapping maps a writable, clean entry; follow_page_pte() dirties
  // the folio of such an entry only under FOLL_TOUCH, which get_user_pages() sets and
  // pin_user_pages() does not (5.10.262 mm/gup.c:1936 / :2982, 6.1.176 :2335 / :3304, 6.12.117
  // :2744 / :3640, 7.2.13 :2655 / :3382); the *_fast() variants set it only for the slow-path
  // fallback, which a present writable entry never takes.
  it.each(PIN_RELEASES)(
    '%s: a write pin through a clean writable entry leaves the folio clean; get_user_pages() dirties it',
    (r) => {
      for (const [grab, fast, dirty] of [
        [pinUserPages, false, false],
        [pinUserPages, true, false],
        [getUserPages, false, true],
        [getUserPages, true, false],
      ] as const) {
        const b = bench(r, [fileMap('buf', 0, true)], [fileSpec('f', 'shmem')]);
        handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
        expect(b.folio('buf').flags.dirty).toBe(false);
        expect(grab(b.ctx, b.w, b.at('buf'), FOLL_WRITE, fast).ret).toBe(1);
        expect(b.folio('buf').flags.dirty, `${grab.name} fast=${String(fast)}`).toBe(dirty);
      }
    },
  );
  it.each(PIN_RELEASES)(
    '%s: a pin refused by check_vma_flags() still sets MMF_HAS_PINNED (set in __get_user_pages_locked() first)',
    (r) => {
      const b = bench(r, [{ ...anonMap('buf'), write: false }]);
      expect(pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE).ret).toBe(-EFAULT);
      expect(b.w.mms[0]?.hasPinned).toBe(true);
    },
  );
  it('fails with -EFAULT for a longterm write pin of a shared ext4 mapping on v6.5', () => {
    const b = bench('v6.5', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    expect(pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_LONGTERM).ret).toBe(-EFAULT);
  });
  it('pins a hugetlb page with _pincount', () => {
    const b = bench('v6.6', [anonMap('buf', HUGETLB)]);
    pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE);
    expect(b.folio('buf').pincount).toBe(1);
  });
});

describe('__getUserPages', () => {
  it.each(RELEASES)(
    'breaks COW before a FOLL_FORCE write GUP uses a read-only page shared with a child (%s)',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
      const shared = b.folio('buf');
      shared.data = 'A';
      dupMm(b.ctx, b.w, 0);
      b.vma('buf').write = false; // mprotect(PROT_READ): the dirty entry stays dirty
      const got = getUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_FORCE);
      expect(got.ret).toBe(1);
      expect(got.folios[0]).not.toBe(shared.id);
      expect(b.vma('buf').pte).toMatchObject({ writable: false });
    },
  );
  it.each(RELEASES)(
    'gives a FOLL_FORCE write into untouched read-only private memory a read-only entry (%s)',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      b.vma('buf').write = false;
      const got = getUserPages(b.ctx, b.w, b.at('buf'), FOLL_WRITE | FOLL_FORCE);
      expect(got.folios).toEqual([b.folio('buf').id]);
      expect(b.vma('buf').pte).toMatchObject({ writable: false });
      expect(b.folio('buf').kind).toBe('small');
    },
  );
  it.each(RELEASES)('breaks COW for every grab in a writable COW mapping only on v5.8 (%s)', (r) => {
    const b = bench(r, [anonMap('buf')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
    const shared = b.folio('buf');
    dupMm(b.ctx, b.w, 0);
    const got = getUserPages(b.ctx, b.w, b.at('buf'), 0);
    expect(got.folios[0] !== shared.id).toBe(r === 'v5.8');
  });
});

describe('FOLL_NOFAULT exists from v5.16 (policy gup.nofault)', () => {
  // The 5.10.262 tree has no FOLL_NOFAULT (include/linux/mm.h:2819 onwards); the 6.1.176 tree
  // defines it (include/linux/mm.h:3094) and faultin_page() refuses to fault for it (mm/gup.c:1003).
  const get: Op = { op: 'gup', buf: 'buf', mode: 'get', flags: FOLL_NOFAULT, fast: true, as: 'h' };
  it.each(RELEASES)('%s', (r) => {
    const why = opDef(get).unavailable(profile(r).policies, get);
    expect(why === null).toBe(releaseAtLeast(r, 'v5.16'));
    expect(opDef({ ...get, flags: 0 }).unavailable(profile(r).policies, { ...get, flags: 0 })).toBeNull();
  });
  it.each(RELEASES.filter((r) => releaseAtLeast(r, 'v5.16')))(
    '%s: a FOLL_NOFAULT GUP of an unpopulated buffer fails with -EFAULT',
    (r) => {
      const b = bench(r, [anonMap('buf')]);
      expect(getUserPages(b.ctx, b.w, b.at('buf'), FOLL_NOFAULT).ret).toBe(-EFAULT);
    },
  );
});

describe("the entry points' flag checks (policy gup.argCheck: is_valid_gup_args() from v6.3)", () => {
  // 5.10.262 mm/gup.c:1772 is_valid_gup_flags() (get_user_pages*: FOLL_PIN, FOLL_LONGTERM) and :2982
  // pin_user_pages() (FOLL_GET only); 6.12.117 :2595 is_valid_gup_args() everywhere, and
  // pin_user_pages() returns 0 pages for bad arguments (:3646; 7.2.13 :3388).
  const args = (r: Release): boolean => releaseAtLeast(r, 'v6.3');
  it.each(PIN_RELEASES)('%s: pin_user_pages(FOLL_GET) fails: -EINVAL before v6.3, 0 pages after', (r) => {
    const b = bench(r, [anonMap('buf')]);
    expect(pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_GET).ret).toBe(args(r) ? 0 : -EINVAL);
    expect(pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_GET, true).ret).toBe(-EINVAL);
  });
  it.each(PIN_RELEASES)('%s: an internal flag (FOLL_TOUCH) is refused only from v6.3', (r) => {
    const b = bench(r, [anonMap('buf')]);
    expect(getUserPages(b.ctx, b.w, b.at('buf'), FOLL_TOUCH).ret).toBe(args(r) ? -EINVAL : 1);
    expect(pinUserPages(b.ctx, b.w, b.at('buf'), FOLL_TOUCH, true).ret).toBe(args(r) ? -EINVAL : 1);
  });
  it.each(RELEASES)('%s: get_user_pages(FOLL_PIN) is refused in every release', (r) => {
    const b = bench(r, [anonMap('buf')]);
    expect(getUserPages(b.ctx, b.w, b.at('buf'), FOLL_PIN).ret).toBe(-EINVAL);
  });
});
