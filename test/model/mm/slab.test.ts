import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import { profile } from '../harness.js';
import { explore, ioProgram } from '../io/io-harness.js';

/**
 * Slab folios without a reference count (v6.14, policy mm.slabRefcount): get_page() takes nothing on
 * a kmalloc() page, put_page() drops nothing (the 7.2 tree's include/linux/mm.h:2089, 2186 and
 * lib/iov_iter.c:1110).
 */
const readIntoKmalloc = (kfree: boolean) =>
  ioProgram({
    files: [{ name: 'f', fs: 'bdev', pages: ['D'] }],
    mappings: [],
    actors: [
      {
        process: 0,
        ops: [
          { op: 'kalloc', kind: 'kmalloc', as: 'k' },
          {
            op: 'dio',
            rw: 'read',
            path: 'blkdev',
            async: true,
            file: 'f',
            index: 0,
            iter: 'bvec',
            buf: 'k',
            as: 'r',
          },
          ...(kfree ? [{ op: 'release', handle: 'k', how: 'put' } as Op] : []),
          { op: 'await', as: 'r' },
        ],
      },
    ],
  });

/** The v4.19 path: a bio references a BVEC's pages with iov_iter_get_pages2() (get_page()). */
const REFFED = { 'bio.pageFlags': 'none', 'dio.extract': 'get' };

/** The slab folio's refcount right after the DIO's submission (kmalloc, then the dio's first step). */
function refcountAfterSubmit(release: string, set: Record<string, string>): number {
  const p = profile(release, set);
  const program = readIntoKmalloc(false);
  let w = instantiate(program, p.policies);
  for (let i = 0; i < 2; i++) {
    const t = enabledTransitions(program, p.policies, w).find((x) => x.actor === 0);
    if (t === undefined) throw new Error('T0 stuck');
    w = applyTransition(program, p.policies, w, t).world;
  }
  const slab = w.folios.find((f) => f.kind === 'slab');
  return slab?.refcount ?? -1;
}

describe('get_page() / put_page() on a slab folio (policy mm.slabRefcount)', () => {
  it.each(RELEASES)('%s: a bvec read referencing its pages takes a slab reference only before v6.14', (r) => {
    expect(refcountAfterSubmit(r, REFFED)).toBe(releaseAtLeast(r, 'v6.14') ? 1 : 2);
  });
  it.each(RELEASES)('%s: kfree() under that read frees the folio under the DMA from v6.14', (r) => {
    const e = explore(profile(r, REFFED), readIntoKmalloc(true));
    expect(e.violations.has('use-after-free')).toBe(releaseAtLeast(r, 'v6.14'));
    // put_page() matches get_page(): nothing leaks or goes negative either way.
    expect(e.violations.has('counter-mismatch')).toBe(false);
    expect(e.violations.has('leak-at-exit')).toBe(false);
  });
  it.each(RELEASES)(
    '%s: without kfree() the read lands and the slab folio ends with its one reference',
    (r) => {
      const e = explore(profile(r, REFFED), readIntoKmalloc(false));
      expect([...e.violations.keys()]).toEqual([]);
      for (const w of e.finals) expect(w.folios.find((f) => f.kind === 'slab')?.refcount).toBe(1);
    },
  );
  it.each(RELEASES)(
    '%s: the release path: the bio borrows a BVEC from v5.1, so only v4.19 holds the page',
    (r) => {
      expect(refcountAfterSubmit(r, {})).toBe(r === 'v4.19' ? 2 : 1);
      expect(explore(profile(r), readIntoKmalloc(true)).violations.has('use-after-free')).toBe(r !== 'v4.19');
    },
  );
});
