import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  debugCow,
  draftWorld,
  ownActor,
  ownArray,
  ownElement,
  ownFolio,
  ownMm,
  ownSwapSlot,
  sealWorld,
} from '../../../src/model/core/cow.js';
import { folioRefAdd } from '../../../src/model/mm/folio.js';
import { newCtx } from '../../../src/model/core/ctx.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import { folioOf, hold, setLocal, setReg, unhold, type World } from '../../../src/model/core/world.js';
import { cve } from '../../check/programs.js';
import { profile } from '../harness.js';
import { parseOk } from '../../scenario/helpers.js';
import { setFolioFlag } from '../../../src/model/include/mm_types.js';

const policies = profile('v6.1').policies;

function world(): World {
  return instantiate(cve(), policies);
}

describe('copy-on-write Worlds', () => {
  it('seals a World deeply under debugCow: a write through a shared element throws', () => {
    const w = sealWorld(world());
    const f = w.folios[2]!;
    expect(() => {
      (f as { refcount: number }).refcount += 1; // past the type, as a model bug would
    }).toThrow(TypeError);
    expect(() => {
      (f.flags as { dirty: boolean }).dirty = true;
    }).toThrow(TypeError);
    expect(() => {
      (w.mms[0]!.vmas[0]! as { write: boolean }).write = false;
    }).toThrow(TypeError);
  });

  it('does not type-check a write into a World, nor a read accessor passed to a function that writes', () => {
    const w = sealWorld(world());
    const d = draftWorld(w);
    expect(() => {
      // @ts-expect-error: a World's folio is readonly; only ownFolio(draft) gives a writable one
      folioOf(d, 2).refcount += 1;
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error: folioRefAdd() writes, so it takes an OwnFolio, which a read accessor is not
      folioRefAdd(newCtx(policies), folioOf(d, 2), 1);
    }).toThrow(TypeError);
    // @ts-expect-error: a sealed World is not a Draft: it has no write accessors
    const shared = ownFolio(w, 2);
    expect(() => {
      shared.refcount += 1; // past the type, the debug seal still stops the write
    }).toThrow(TypeError);
    expect(d.folios[2]).toBe(w.folios[2]); // nothing was copied by the reads
  });

  it('without debugCow freezes no element, and still copies a shared element before a write', () => {
    debugCow(false);
    try {
      const w = sealWorld(world());
      const f = w.folios[2]!;
      expect(Object.isFrozen(f)).toBe(false);
      const d = draftWorld(w);
      expect(folioOf(d, 2)).toBe(f); // reading copies nothing
      const g = ownFolio(d, 2);
      expect(g).not.toBe(f);
      g.refcount += 1;
      expect(ownFolio(d, 2)).toBe(g);
      expect(folioOf(d, 2)).toBe(g);
      expect(f.refcount).toBe(g.refcount - 1);
      const e = draftWorld(d);
      expect(Object.isFrozen(g)).toBe(false);
      expect(ownFolio(e, 2)).not.toBe(g); // shared again once its draft is sealed
    } finally {
      debugCow(true);
    }
  });

  it('hands a draft a private copy through the accessors and leaves the parent as it was', () => {
    const parent = sealWorld(world());
    const before = JSON.stringify(parent);
    const d = draftWorld(parent);
    const f = ownFolio(d, 2);
    expect(f).not.toBe(parent.folios[2]);
    f.refcount += 7;
    setFolioFlag(f, 'dirty', true);
    ownMm(d, 0).vmas[0]!.write = false;
    expect(ownFolio(d, 2)).toBe(f); // one copy per draft
    expect(d.folios[1]).toBe(parent.folios[1]); // untouched elements stay shared
    expect(JSON.stringify(parent)).toBe(before);
  });

  it("shares a copied element's replace-on-write records until a setter replaces one", () => {
    const parent = sealWorld(world());
    const d = draftWorld(parent);
    const f = ownFolio(d, 2);
    const a = ownActor(d, 0);
    expect(f.flags).toBe(parent.folios[2]!.flags);
    const pa = parent.actors[0]!;
    expect([a.regs === pa.regs, a.held === pa.held, a.locals === pa.locals]).toEqual([true, true, true]);
    setFolioFlag(f, 'dirty', f.flags.dirty); // no change: still shared
    expect(f.flags).toBe(parent.folios[2]!.flags);
    setFolioFlag(f, 'dirty', !f.flags.dirty);
    setReg(a, 'r', 'X');
    setLocal(a, 'spec', 3);
    hold(a, 'h', { folios: [2], mode: 'pin' });
    expect(f.flags).not.toBe(parent.folios[2]!.flags);
    expect(f.flags.dirty).toBe(!parent.folios[2]!.flags.dirty);
    expect(a.regs).toEqual({ ...parent.actors[0]!.regs, r: 'X' });
    expect(a.locals['spec']).toBe(3);
    unhold(a, 'h');
    expect(a.held).toEqual(parent.actors[0]!.held);
    expect(parent.actors[0]!.regs['r']).toBeUndefined();
    expect(parent.actors[0]!.locals['spec']).toBeUndefined();
  });

  it('shares arrays with the parent until ownArray copies one; a direct push into a shared one throws', () => {
    const parent = sealWorld(world());
    const d = draftWorld(parent);
    expect(d.swap).toBe(parent.swap);
    expect(() => (d.swap as unknown[]).push(1)).toThrow(TypeError);
    ownArray(d, 'swap').push({ id: 0, data: 'A', count: 1, cache: null });
    expect(d.swap).not.toBe(parent.swap);
    expect(parent.swap).toHaveLength(0);
    expect(d.folios).toBe(parent.folios);
    ownFolio(d, 2).refcount += 1;
    expect(d.folios).not.toBe(parent.folios); // the copied element went into the draft's own array
    expect(() =>
      // @ts-expect-error: a sealed World is not a Draft
      ownArray(parent, 'swap').push({ id: 0, data: 'A', count: 1, cache: null }),
    ).toThrow(TypeError);
  });

  it('reads a sealed World without copying', () => {
    const w = sealWorld(world());
    expect(folioOf(w, 2)).toBe(w.folios[2]);
  });

  it('keeps an element a draft made itself writable, then freezes it at sealing', () => {
    const d = draftWorld(world());
    ownArray(d, 'swap').push({ id: 0, data: 'A', count: 1, cache: null });
    const slot = ownSwapSlot(d, 0);
    slot.count += 1;
    sealWorld(d);
    expect(Object.isFrozen(slot)).toBe(true);
    expect(d.swap[0]!.count).toBe(2);
  });

  it('steps never change the World they start from', () => {
    let w = sealWorld(world());
    for (let i = 0; i < 40; i++) {
      const en = enabledTransitions(cve(), policies, w);
      if (en.length === 0) break;
      const snapshot = JSON.stringify(w);
      const next = applyTransition(cve(), policies, w, en[i % en.length]!).world;
      expect(JSON.stringify(w)).toBe(snapshot);
      expect(Object.isFrozen(next)).toBe(true);
      w = next;
    }
  });

  it('copies elements whole, and gives every element of a kind its members in one order (one V8 shape)', () => {
    const dir = new URL('../../../scenarios/', import.meta.url);
    const programs = readdirSync(dir)
      .filter((f) => f.endsWith('.pin'))
      .flatMap((f) => parseOk(readFileSync(new URL(f, dir), 'utf8'), f).map((p) => p.scenario.program));
    const orders = new Map<string, Set<string>>();
    const note = (kind: string, o: object): void => {
      const set = orders.get(kind) ?? new Set<string>();
      set.add(Object.keys(o).join(','));
      orders.set(kind, set);
    };
    const noteWorld = (w: World): void => {
      for (const f of w.folios) {
        note('folio', f);
        note('folio flags', f.flags);
      }
      for (const m of w.mms) {
        note('mm', m);
        for (const v of m.vmas) note('vma', v);
      }
      for (const b of w.bios) {
        note('bio', b);
        note('bio flags', b.flags);
      }
      for (const [kind, arr] of [
        ['file', w.files],
        ['swap slot', w.swap],
        ['actor', w.actors],
        ['dio', w.dios],
        ['pipe', w.pipes],
      ] as const)
        for (const x of arr) note(kind, x);
    };
    const keys = ['folios', 'mms', 'files', 'swap', 'actors', 'bios', 'dios', 'pipes'] as const;
    /** A draft's copy of every element equals the element, members left undefined included. */
    const copiesEqual = (w: World): void => {
      const d = draftWorld(w);
      for (const key of keys)
        w[key].forEach((el, i) => {
          const copy = ownElement(d, key, i);
          expect(copy).not.toBe(el);
          expect(copy).toStrictEqual(el);
        });
      noteWorld(d);
    };
    for (const program of programs) {
      // A few runs per program, each taking the i-th enabled transition where it can.
      for (let pick = 0; pick < 3; pick++) {
        let w = instantiate(program, policies);
        for (let n = 0; n < 60; n++) {
          noteWorld(w);
          if (n % 7 === 0) copiesEqual(w);
          const en = enabledTransitions(program, policies, w);
          if (en.length === 0) break;
          w = applyTransition(program, policies, w, en[(pick + n) % en.length]!).world;
        }
      }
    }
    for (const [kind, set] of orders) expect([kind, [...set]]).toEqual([kind, [...set].slice(0, 1)]);
    expect([...orders.keys()]).toEqual(expect.arrayContaining(['folio', 'vma', 'bio', 'dio', 'actor']));
  });
});
