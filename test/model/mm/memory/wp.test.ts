import { describe, expect, it } from 'vitest';
import { FOLL_GET, FOLL_PIN } from '../../../../src/model/include/foll.js';
import { handleMmFault } from '../../../../src/model/mm/memory/fault.js';
import { doWpPage, wpCanReuseAnonFolio } from '../../../../src/model/mm/memory/wp.js';
import { tryGrabFolio } from '../../../../src/model/mm/gup.js';
import { mkPte } from '../../../../src/model/mm/pgtable.js';
import { RELEASES } from '../../../../src/model/profile/profiles.js';
import type { PageSpec } from '../../../../src/model/engine/program.js';
import { THP, anonMap, bench, fileMap, fileSpec } from '../../builders.js';
import { setFolioFlag } from '../../../../src/model/include/mm_types.js';

/** A private anon page, written, then write-protected (as fork or mprotect would), with no exclusive mark. */
function roAnon(release: string, set: Record<string, string> = {}, page: PageSpec = { kind: 'base' }) {
  const b = bench(release, [anonMap('buf', page)], [], set);
  handleMmFault(b.ctx, b.w, b.at('buf'), 'write');
  const f = b.folio('buf');
  setFolioFlag(f, 'anonExclusive', false);
  const pte = b.vma('buf').pte;
  if (pte.kind === 'present')
    b.vma('buf').pte = mkPte(f.id, { writable: false, dirty: pte.dirty, huge: pte.huge });
  return { b, f };
}

describe('doWpPage', () => {
  it.each(['mapcount', 'refcount', 'anon-exclusive'])(
    'reuses a page mapped once with no other reference under cow.reuse=%s',
    (rule) => {
      const { b, f } = roAnon('v6.6', { 'cow.reuse': rule });
      doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
      expect(b.folio('buf').id).toBe(f.id);
      expect(b.vma('buf').pte).toMatchObject({ writable: true, dirty: true });
    },
  );
  it('reuses under the mapcount rule although a GUP reference is held (GUP refs are invisible to it)', () => {
    const { b, f } = roAnon('v5.4');
    tryGrabFolio(b.ctx, f, 1, FOLL_GET);
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.folio('buf').id).toBe(f.id);
  });
  it.each(['refcount', 'anon-exclusive'])(
    'copies under cow.reuse=%s when a GUP reference is held on a non-exclusive page',
    (rule) => {
      const { b, f } = roAnon('v6.6', { 'cow.reuse': rule });
      tryGrabFolio(b.ctx, f, 1, FOLL_GET);
      doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
      const copy = b.folio('buf');
      expect(copy.id).not.toBe(f.id);
      expect([f.refcount, f.mapcount]).toEqual([1, 0]);
      expect([copy.refcount, copy.mapcount, copy.flags.anonExclusive]).toEqual([
        1,
        1,
        rule === 'anon-exclusive',
      ]);
    },
  );
  it('reuses a PageAnonExclusive page at once, pinned or not, under cow.reuse=anon-exclusive', () => {
    const { b, f } = roAnon('v6.6');
    setFolioFlag(f, 'anonExclusive', true);
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.folio('buf').id).toBe(f.id);
  });
  it('copies a pinned page under the refcount rule (v5.10), where nothing marks it exclusive', () => {
    const { b, f } = roAnon('v5.10');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.folio('buf').id).not.toBe(f.id);
  });
  it('marks a reused page exclusive under cow.reuse=anon-exclusive', () => {
    const { b, f } = roAnon('v6.6');
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(f.flags.anonExclusive).toBe(true);
  });
  it('leaves the entry read-only on an unshare fault, reused or copied', () => {
    const { b, f } = roAnon('v6.6');
    doWpPage(b.ctx, b.w, b.vma('buf'), 'unshare');
    expect(b.vma('buf').pte).toMatchObject({ folio: f.id, writable: false });
    expect(f.flags.anonExclusive).toBe(true);
    const other = roAnon('v6.6');
    tryGrabFolio(other.b.ctx, other.f, 1, FOLL_GET);
    doWpPage(other.b.ctx, other.b.w, other.b.vma('buf'), 'unshare');
    expect(other.b.vma('buf').pte).toMatchObject({ writable: false, dirty: false });
    expect(other.b.folio('buf').id).not.toBe(other.f.id);
  });
  it('copies a page-cache page in a private mapping', () => {
    const b = bench('v6.6', [fileMap('buf', 0, false)], [fileSpec('f', 'ext4', 'D')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const cached = b.folio('buf');
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.folio('buf').owner.type).toBe('anon');
    expect(b.folio('buf').data).toBe('D');
    expect(cached.mapcount).toBe(0);
  });
  it('never copies in a shared mapping: it runs ->page_mkwrite and maps the page writable', () => {
    const b = bench('v6.6', [fileMap('buf', 0, true)], [fileSpec('f', 'ext4')]);
    handleMmFault(b.ctx, b.w, b.at('buf'), 'read');
    const f = b.folio('buf');
    doWpPage(b.ctx, b.w, b.vma('buf'), 'write');
    expect(b.folio('buf').id).toBe(f.id);
    expect(f.flags.buffers).toBe(true);
  });
});

describe('wpCanReuseAnonFolio', () => {
  it.each(RELEASES)('follows cow.largeFolioReuse for a PTE-mapped THP mapped once (%s)', (r) => {
    const { b, f } = roAnon(r, {}, THP);
    b.vma('buf').pte = mkPte(f.id, { writable: false, dirty: true, huge: false });
    const rule = b.policies['cow.largeFolioReuse'];
    expect(wpCanReuseAnonFolio(b.ctx, b.w, f, false)).toBe(rule !== 'never');
  });
  it('refuses a PTE-mapped THP with a GUP reference under every large-folio rule', () => {
    for (const rule of ['like-small', 'never', 'exclusive-mm']) {
      const { b, f } = roAnon('v6.18', { 'cow.largeFolioReuse': rule }, THP);
      tryGrabFolio(b.ctx, f, 1, FOLL_GET);
      expect(wpCanReuseAnonFolio(b.ctx, b.w, f, false)).toBe(false);
    }
  });
  it('decides a PMD-mapped THP by cow.thpSwapReuse: the mapcount rule ignores a GUP reference', () => {
    const old = roAnon('v5.15', {}, THP);
    tryGrabFolio(old.b.ctx, old.f, 1, FOLL_GET);
    expect(wpCanReuseAnonFolio(old.b.ctx, old.b.w, old.f, true)).toBe(true);
    const now = roAnon('v6.6', {}, THP);
    tryGrabFolio(now.b.ctx, now.f, 1, FOLL_GET);
    expect(wpCanReuseAnonFolio(now.b.ctx, now.b.w, now.f, true)).toBe(false);
  });
});
