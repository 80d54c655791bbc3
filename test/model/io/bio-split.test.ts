import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import type { World } from '../../../src/model/core/world.js';

/** bio_split / bio_alloc_clone / bio_chain: a split bio's pages are released once, by the parent. */
const read = (async: boolean): Op => ({
  op: 'dio',
  rw: 'read',
  path: 'blkdev-split',
  async,
  file: 'sda',
  index: 0,
  iter: 'iovec',
  buf: 'buf',
  as: 'r',
});

function prog(async: boolean) {
  return ioProgram({
    files: [{ name: 'sda', fs: 'bdev', pages: ['D'] }],
    mappings: [anon('buf')],
    setup: [{ op: 'write', buf: 'buf', data: 'A' }],
    actors: [{ process: 0, ops: async ? [read(true), { op: 'await', as: 'r' }] : [read(false)] }],
  });
}

describe('a split bio', () => {
  it('is a clone chained to the bio it was cut from, holding no page', () => {
    // Only the submission: the device has not run yet.
    const p = profile('v6.18');
    const program = prog(false);
    const w0 = instantiate(program, p.policies);
    const submit = enabledTransitions(program, p.policies, w0).find((t) => t.actor === 0);
    if (submit === undefined) throw new Error('T0 cannot submit');
    const world = applyTransition(program, p.policies, w0, submit).world;
    const [parent, split] = world.bios;
    expect(world.bios.length).toBe(2);
    expect(split?.flags.cloned).toBe(true);
    expect(split?.flags.pagePinned).toBe(false);
    expect(split?.bvecs.map((b) => b.grab)).toEqual(['none']);
    expect(split?.parent).toBe(parent?.id);
    expect(split?.endIo).toBe('chain');
    expect(parent?.remaining).toBe(2);
    expect(parent?.bvecs.map((b) => b.grab)).toEqual(['pin']);
  });

  for (const async of [false, true])
    it.each(RELEASES)(
      `${async ? 'async' : 'sync'}: on %s every order releases the page exactly once`,
      (r) => {
        const x = explore(profile(r), prog(async));
        expect([...x.violations.keys()]).toEqual([]);
        expect(x.finals.length).toBeGreaterThan(0);
        for (const w of x.finals) {
          const page = w.folios.find((f) => !f.freed && f.data === 'D');
          expect(page?.refcount).toBe(1);
          expect(page?.pincount ?? 0).toBe(0);
          expect(w.bios.every((b) => b.state === 'put')).toBe(true);
        }
      },
    );

  it("the parent's own completion waits for its split (bio_remaining_done), its page still held", () => {
    const p = profile('v6.18');
    const program = prog(true);
    const seen: World[] = [];
    const stack: World[] = [instantiate(program, p.policies)];
    while (stack.length > 0) {
      const w = stack.pop() as World;
      seen.push(w);
      for (const t of enabledTransitions(program, p.policies, w))
        stack.push(applyTransition(program, p.policies, w, t).world);
    }
    const waiting = seen.filter((w) => w.bios[0]?.state === 'chained');
    expect(waiting.length).toBeGreaterThan(0);
    for (const w of waiting) {
      expect(w.bios[1]?.state).not.toBe('put');
      // A small folio's pin is GUP_PIN_COUNTING_BIAS references.
      expect(w.folios[w.bios[0]?.bvecs[0]?.folio ?? -1]?.refcount).toBeGreaterThan(1024);
    }
  });
});

describe('the what-if bio.cloneRelease=release: the split releases the pages too', () => {
  const doubles = (r: string): boolean =>
    explore(profile(r, { 'bio.cloneRelease': 'release' }), prog(false)).violations.has('counter-mismatch');
  it.each(['v4.19', 'v5.10', 'v6.4'])('is a double release counter-mismatch catches on %s', (r) => {
    expect(doubles(r)).toBe(true);
  });
  it.each(['v6.5', 'v6.18', 'v7.2', 'howells-v8'])('releases nothing on %s (a clone owns no page)', (r) => {
    expect(doubles(r)).toBe(false);
  });
});
