import { describe, expect, it } from 'vitest';
import { FOLL_GET, FOLL_PIN } from '../../../src/model/include/foll.js';
import { GUP_PIN_COUNTING_BIAS, HPAGE_PMD_ORDER } from '../../../src/model/include/mm_types.js';
import {
  folioAlloc,
  folioMaybeDmaPinned,
  folioPutRefs,
  isAnyZeroFolio,
  isZeroFolio,
} from '../../../src/model/mm/folio.js';
import { tryGrabFolio } from '../../../src/model/mm/gup.js';

import { ownFolio } from '../../../src/model/core/cow.js';
import { bench } from '../builders.js';

const ANON = { type: 'anon' } as const;

describe('folioMaybeDmaPinned', () => {
  it('is false for a small folio holding only ordinary references', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 5, FOLL_GET);
    expect(folioMaybeDmaPinned(f)).toBe(false);
  });
  it('is true for a small folio once pinned', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    expect(folioMaybeDmaPinned(f)).toBe(true);
  });
  it('gives a false positive for a small folio with 1024 ordinary references', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    tryGrabFolio(b.ctx, f, GUP_PIN_COUNTING_BIAS - 1, FOLL_GET);
    expect(f.refcount).toBe(GUP_PIN_COUNTING_BIAS);
    expect(folioMaybeDmaPinned(f)).toBe(true);
  });
  it('is exact for a large folio: _pincount, whatever the refcount', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'thp', HPAGE_PMD_ORDER, ANON, 'A');
    tryGrabFolio(b.ctx, f, GUP_PIN_COUNTING_BIAS, FOLL_GET);
    expect(folioMaybeDmaPinned(f)).toBe(false);
    tryGrabFolio(b.ctx, f, 1, FOLL_PIN);
    expect(folioMaybeDmaPinned(f)).toBe(true);
  });
});

describe('folioPutRefs', () => {
  it('never frees the zero pages', () => {
    const b = bench('v6.6', []);
    const zero = ownFolio(b.w, b.w.zeroPage);
    folioPutRefs(b.ctx, b.w, zero, 1);
    expect(zero.freed).toBe(false);
  });
  it('reports a use after free when a freed folio is put again', () => {
    const b = bench('v6.6', []);
    const f = folioAlloc(b.w, 'small', 0, ANON, 'A');
    folioPutRefs(b.ctx, b.w, f, 1);
    folioPutRefs(b.ctx, b.w, f, 1);
    expect(b.ctx.events).toEqual([{ type: 'use-after-free', folio: f.id, access: 'put' }]);
  });
});

describe('isZeroFolio', () => {
  it('names only the small zero page, while isAnyZeroFolio names both zero pages', () => {
    const b = bench('v6.6', []);
    const zero = ownFolio(b.w, b.w.zeroPage);
    const huge = ownFolio(b.w, b.w.hugeZeroPage);
    expect([isZeroFolio(zero), isZeroFolio(huge)]).toEqual([true, false]);
    expect([isAnyZeroFolio(zero), isAnyZeroFolio(huge)]).toEqual([true, true]);
  });
});
