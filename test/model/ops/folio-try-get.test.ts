import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import type { Program } from '../../../src/model/engine/program.js';
import { applyTransition, enabledTransitions, type Transition } from '../../../src/model/engine/step.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import type { World } from '../../../src/model/core/world.js';
import { parseOk } from '../../scenario/helpers.js';
import { anon, op, profile, program } from '../harness.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';

const tryGet: Op = { op: 'try-get' };
const v65 = profile('v6.5');

function step(p: Program, w: World, t: Transition): World {
  return applyTransition(p, v65.policies, w, t).world;
}

/** The folio buf maps in mm `mm`. */
function mapped(w: World, mm: number): number {
  const pte = w.mms[mm]?.vmas[0]?.pte;
  if (pte?.kind !== 'present') throw new Error('buf is not mapped');
  return pte.folio;
}

describe('try-get (folio_try_get, then folio_put)', () => {
  it('may land on any live folio but the zero pages, one transition each', () => {
    const p = program([anon('buf')], [{ process: 0, ops: [tryGet] }], [op.write('buf', 'A')]);
    const w = instantiate(p, v65.policies);
    const live = w.folios.filter((f) => !f.freed && f.kind !== 'zero' && f.kind !== 'huge-zero');
    expect(live).toHaveLength(1);
    expect(enabledTransitions(p, v65.policies, w)).toEqual([{ actor: 0, choice: 0 }]);
  });

  it('holds its reference across other steps and drops it with folio_put', () => {
    const p = program([anon('buf')], [{ process: 0, ops: [tryGet] }], [op.write('buf', 'A')]);
    const w0 = instantiate(p, v65.policies);
    const id = mapped(w0, 0);
    const w1 = step(p, w0, { actor: 0, choice: 0 });
    expect(w1.folios[id]?.refcount).toBe(2);
    expect(w1.actors[0]?.done).toBe(false);
    const w2 = step(p, w1, { actor: 0, choice: 0 });
    expect(w2.folios[id]?.refcount).toBe(1);
    expect(w2.actors[0]?.done).toBe(true);
  });

  it('finds nothing when no folio is live, and ends at once', () => {
    const p = program([anon('buf')], [{ process: 0, ops: [tryGet] }]);
    const w = step(p, instantiate(p, v65.policies), { actor: 0, choice: 0 });
    expect(w.actors[0]?.done).toBe(true);
  });

  it('makes a write fault copy a page it would reuse, and its put frees the old page', () => {
    // P forks C, C exits: buf's folio is P's alone but no longer marked exclusive, so do_wp_page()
    // reuses it only when its refcount is 1; the speculative reference makes that 2.
    const p = program(
      [anon('buf')],
      [
        { process: 0, ops: [op.fork(1), op.write('buf', 'B')] },
        { process: 1, ops: [op.exit()] },
        { process: 0, ops: [tryGet] },
      ],
      [op.write('buf', 'A')],
    );
    let w = instantiate(p, v65.policies);
    const old = mapped(w, 0);
    w = step(p, w, { actor: 0, choice: 0 }); // fork
    w = step(p, w, { actor: 1, choice: 0 }); // the child exits
    // One live folio: the child's exit left P's page only.
    expect(enabledTransitions(p, v65.policies, w).filter((t) => t.actor === 2)).toHaveLength(1);
    w = step(p, w, { actor: 2, choice: 0 }); // folio_try_get
    w = step(p, w, { actor: 0, choice: 0 }); // the write fault
    expect(mapped(w, 0)).not.toBe(old);
    expect(w.folios[old]?.freed).toBe(false);
    const r = applyTransition(p, v65.policies, w, { actor: 2, choice: 0 });
    expect(r.label.fn).toBe('folio_put');
    expect(r.world.folios[old]?.freed).toBe(true);
  });

  it('is written `try-get` in a scenario', () => {
    const text = [
      'scenario s',
      'intent: a speculative reference',
      'source: none',
      'process P',
      '  map buf anon private',
      'thread T in P',
      '  try-get',
      'exists (P:buf == "A")',
      'expect: never on all',
    ].join('\n');
    const [s] = parseOk(`${text}\n`);
    expect(s?.scenario.program.actors[0]?.ops).toEqual([tryGet]);
  });
});

describe('try-get on a slab folio (policy mm.slabRefcount)', () => {
  // From v6.14 slab pages are allocated frozen (the 7.2 tree's mm/slub.c:3280 alloc_frozen_pages()), so
  // folio_try_get() (include/linux/page_ref.h:274, folio_ref_add_unless_zero()) fails on them; the 6.12
  // tree allocates them with a reference (mm/slub.c:2478 alloc_pages()) and the lookup succeeds.
  it.each(RELEASES)('%s', (r) => {
    const pr = profile(r);
    const p = program(
      [],
      [
        { process: 0, ops: [{ op: 'kalloc', kind: 'kmalloc', as: 'k' }] },
        { process: 0, ops: [tryGet] },
      ],
    );
    const w0 = instantiate(p, pr.policies);
    const w1 = applyTransition(p, pr.policies, w0, { actor: 0, choice: 0 }).world;
    const slab = w1.folios.find((f) => f.kind === 'slab');
    expect(slab?.refcount).toBe(1);
    const w2 = applyTransition(p, pr.policies, w1, { actor: 1, choice: 0 }).world;
    const frozen = releaseAtLeast(r, 'v6.14');
    // The lookup finds nothing else live: it took a reference on the slab folio, or found nothing.
    expect(w2.folios[slab?.id ?? -1]?.refcount).toBe(frozen ? 1 : 2);
    expect(w2.actors[1]?.done).toBe(frozen);
  });
});
