import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FOLL_FORCE,
  FOLL_GET,
  FOLL_LONGTERM,
  FOLL_PIN,
  FOLL_WRITE,
} from '../../../src/model/include/foll.js';
import type { Advice } from '../../../src/model/mm/madvise.js';
import { ZERO_DATA } from '../../../src/model/mm/filemap.js';
import { folioMaybeDmaPinned, folioTestAnon, isAnyZeroFolio } from '../../../src/model/mm/folio.js';
import { gupPutFolio } from '../../../src/model/mm/gup.js';
import { opDef, type Op } from '../../../src/model/ops/index.js';
import type { Policies } from '../../../src/model/profile/policies/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { newCtx } from '../../../src/model/core/ctx.js';
import type { ModelEvent } from '../../../src/model/core/events.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { expectedMapcount, expectedRefcount } from '../../../src/model/invariants/holders.js';
import type { MappingSpec, Program } from '../../../src/model/engine/program.js';
import { applyTransition, enabledTransitions, type StepLabel } from '../../../src/model/engine/step.js';
import { draftWorld, ownActor, ownFolio } from '../../../src/model/core/cow.js';
import { folioOf, type World } from '../../../src/model/core/world.js';
import { HUGETLB, THP, anonMap, fileMap, fileSpec } from '../builders.js';
import { profile } from '../harness.js';

/** Every kind of mapping the laws exercise, all in the first process (the child inherits them). */
const MAPPINGS: MappingSpec[] = [
  anonMap('base'),
  anonMap('thp', THP),
  anonMap('huge', HUGETLB),
  anonMap('shanon', { kind: 'base' }, true),
  fileMap('pfile', 0, false),
  fileMap('sfile', 0, true),
  fileMap('shmem', 1, true),
];
const BUFS = MAPPINGS.map((m) => m.name);
const ADVICE: Advice[] = ['dontneed', 'dontfork', 'dofork', 'wipeonfork', 'keeponfork', 'pageout'];

/** An operation before handles are named: a gup says whether (and how much later) it is released. */
type Abstract =
  | { readonly t: 'plain'; readonly op: Op }
  | {
      readonly t: 'gup';
      readonly buf: string;
      readonly pin: boolean;
      readonly flags: number;
      readonly releaseAfter: number | null;
    }
  | { readonly t: 'peek' };

// Private anon base pages take part in most of the interesting paths (COW, swap, fork copies).
const buf = fc.oneof(
  { weight: 3, arbitrary: fc.constant('base') },
  { weight: 1, arbitrary: fc.constantFrom(...BUFS) },
);
const plain = (op: Op): Abstract => ({ t: 'plain', op });
const gup = (g: Omit<Extract<Abstract, { t: 'gup' }>, 't'>): Abstract => ({ t: 'gup', ...g });
const abstractOp: fc.Arbitrary<Abstract> = fc.oneof(
  {
    weight: 3,
    arbitrary: buf.map((b) => plain({ op: 'write', buf: b, data: '' })),
  },
  { weight: 2, arbitrary: buf.map((b) => plain({ op: 'read', buf: b, reg: `r.${b}` })) },
  { weight: 1, arbitrary: buf.map((b) => plain({ op: 'munmap', buf: b })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ buf, read: fc.boolean(), write: fc.boolean() })
      .map(({ buf, read, write }) => plain({ op: 'mprotect', buf, read, write })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ buf, advice: fc.constantFrom(...ADVICE) })
      .map(({ buf, advice }) => plain({ op: 'madvise', buf, advice })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        buf,
        pin: fc.boolean(),
        flags: fc
          .subarray([FOLL_WRITE, FOLL_LONGTERM, FOLL_FORCE])
          .map((fs) => fs.reduce((a, f) => a | f, 0)),
        releaseAfter: fc.option(fc.nat(4), { nil: null }),
      })
      .map(gup),
  },
  {
    // MADV_PAGEOUT where it can work (private anon), so swap-out and swap-in are exercised often.
    weight: 2,
    arbitrary: fc.constantFrom('base', 'thp').map((b) => plain({ op: 'madvise', buf: b, advice: 'pageout' })),
  },
  { weight: 1, arbitrary: fc.constant<Abstract>({ t: 'peek' }) },
);

/** Name every grab uniquely and put its release (with the matching call) where the plan says. */
function concretize(actor: number, plan: readonly Abstract[], policies: Policies): Op[] {
  const ops: Op[] = [];
  const releases: { at: number; op: Op }[] = [];
  let last = 'none';
  plan.forEach((a, i) => {
    // Every store writes a token naming its actor and position, so a read can tell whose write it sees.
    if (a.t === 'plain') ops.push(a.op.op === 'write' ? { ...a.op, data: `W${actor}.${i}` } : a.op);
    else if (a.t === 'peek') ops.push({ op: 'peek', handle: last, reg: `p${i}` });
    else {
      const as = `h${actor}.${i}`;
      const gup: Op = {
        op: 'gup',
        buf: a.buf,
        mode: a.pin ? 'pin' : 'get',
        flags: a.flags,
        fast: i % 2 === 0,
        as,
      };
      // Releases without FOLL_PIN turn a pin into a reference; the rest of the plan is unchanged.
      const mode = opDef(gup).unavailable(policies, gup) === null ? (a.pin ? 'pin' : 'get') : 'get';
      ops.push({ ...gup, mode });
      last = as;
      if (a.releaseAfter !== null)
        releases.push({
          at: i + 1 + a.releaseAfter,
          op: {
            op: 'release',
            handle: as,
            how: mode === 'pin' ? (i % 3 === 0 ? 'unpin-dirty' : 'unpin') : 'put',
          },
        });
    }
    for (const r of releases.filter((r) => r.at === i + 1)) ops.push(r.op);
  });
  for (const r of releases.filter((r) => r.at > plan.length)) ops.push(r.op);
  return ops;
}

interface Case {
  readonly release: string;
  readonly plans: readonly (readonly Abstract[])[];
  readonly forkAt: number | null;
  readonly exitP: boolean;
  readonly schedule: readonly number[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  release: fc.constantFrom(...RELEASES),
  plans: fc.tuple(
    fc.array(abstractOp, { maxLength: 8 }),
    fc.array(abstractOp, { maxLength: 6 }),
    fc.array(abstractOp, { maxLength: 6 }),
  ),
  forkAt: fc.option(fc.nat(6), { nil: null }),
  exitP: fc.boolean(),
  schedule: fc.array(fc.nat(5), { maxLength: 40 }),
});

/** Threads T0, T1 in process P; T2 in the child C that T0's fork creates. */
function programOf(c: Case, policies: Policies): Program {
  const [p0 = [], p1 = [], p2 = []] = c.plans;
  const t0 = concretize(0, p0, policies);
  if (c.forkAt !== null) t0.splice(Math.min(c.forkAt, t0.length), 0, { op: 'fork', child: 1 });
  const t1 = concretize(1, p1, policies);
  if (c.exitP) t1.push({ op: 'exit' });
  return {
    files: [fileSpec('f', 'ext4', 'F'), fileSpec('s', 'shmem', 'S')],
    processes: [
      { name: 'P', mappings: MAPPINGS, forked: false },
      { name: 'C', mappings: [], forked: true },
    ],
    setup: [],
    actors: [
      { name: 'T0', process: 0, ops: t0 },
      { name: 'T1', process: 0, ops: t1 },
      { name: 'T2', process: 1, ops: concretize(2, p2, policies) },
    ],
  };
}

function liveFolios(w: World) {
  return w.folios.filter((f) => !f.freed);
}

/** The laws that hold after every step. */
/**
 * COW's own invariants: the zero pages stay zero; a writable entry in a private mapping maps an anon
 * page no other entry maps (and, with PageAnonExclusive, one marked exclusive); a shared mapping
 * never maps anonymous memory; from v5.19 a maybe-pinned anon page that is mapped is exclusive.
 */
function checkCow(w: World, policies: Policies): void {
  for (const id of [w.zeroPage, w.hugeZeroPage])
    expect(folioOf(w, id).data, 'zero page data').toBe(ZERO_DATA);
  const ae = policies['cow.reuse'] === 'anon-exclusive';
  for (const mm of w.mms)
    for (const vma of mm.vmas) {
      if (vma.pte.kind !== 'present') continue;
      const f = folioOf(w, vma.pte.folio);
      if (vma.shared) expect(folioTestAnon(f), `shared ${vma.name} maps anon folio ${f.id}`).toBe(false);
      else if (vma.pte.writable) {
        expect([folioTestAnon(f), f.mapcount], `writable private ${vma.name} -> folio ${f.id}`).toEqual([
          true,
          1,
        ]);
        if (ae) expect(f.flags.anonExclusive, `writable ${vma.name} -> folio ${f.id} exclusive`).toBe(true);
      }
      if (ae && folioTestAnon(f) && folioMaybeDmaPinned(f))
        expect(f.flags.anonExclusive, `pinned folio ${f.id} exclusive`).toBe(true);
    }
}

/** A CPU store that succeeded went through a writable entry of the buffer (handle_mm_fault made it so). */
function checkStore(program: Program, w: World, label: StepLabel): void {
  const op = program.actors[label.actor]?.ops[label.pc];
  if (op?.op !== 'write' || label.ret !== null) return;
  const proc = program.actors[label.actor]?.process ?? -1;
  const entry = w.mms[w.processes[proc] ?? -1]?.vmas.find((v) => v.name === op.buf)?.pte;
  expect(entry, `store by actor ${label.actor} into ${op.buf}`).toMatchObject({ writable: true });
}

function checkStep(w: World, events: readonly ModelEvent[]): void {
  expect(events.filter((e) => e.type === 'counter-mismatch' || e.type === 'use-after-free')).toEqual([]);
  for (const f of w.folios) {
    expect(f.refcount, `folio ${f.id} refcount`).toBeGreaterThanOrEqual(0);
    expect(f.mapcount, `folio ${f.id} mapcount`).toBeGreaterThanOrEqual(0);
    expect(f.pincount, `folio ${f.id} pincount`).toBeGreaterThanOrEqual(0);
  }
  for (const f of liveFolios(w)) {
    if (isAnyZeroFolio(f)) continue;
    expect(f.refcount, `folio ${f.id} refcount >= mapcount`).toBeGreaterThanOrEqual(f.mapcount);
    expect(f.mapcount, `folio ${f.id} mapcount = entries mapping it`).toBe(expectedMapcount(w, f.id));
  }
  for (const mm of w.mms)
    for (const vma of mm.vmas)
      if (vma.pte.kind === 'present')
        expect(folioOf(w, vma.pte.folio).freed, `${vma.name} maps a freed folio`).toBe(false);
}

const PRIVATE_ANON = new Set(['base', 'thp', 'huge']);

/**
 * What each process may see through its private anonymous buffers: zeros, its own stores, and (in the
 * child) the parent's stores from before the fork. Another process's store showing up there is a leak
 * through the page tables (COW reusing or sharing a page it must not).
 */
class Privacy {
  private readonly seen = new Map<string, Set<string>>();
  private forkDone = false;

  private allowed(proc: number, buf: string): Set<string> {
    const key = `${proc}:${buf}`;
    let set = this.seen.get(key);
    if (!set) this.seen.set(key, (set = new Set([ZERO_DATA])));
    return set;
  }

  step(program: Program, w: World, label: StepLabel): void {
    const op = program.actors[label.actor]?.ops[label.pc];
    const proc = program.actors[label.actor]?.process ?? -1;
    if (op?.op === 'fork') {
      for (const buf of PRIVATE_ANON) for (const d of this.allowed(0, buf)) this.allowed(1, buf).add(d);
      this.forkDone = true;
    }
    if (op?.op === 'write' && PRIVATE_ANON.has(op.buf)) this.allowed(proc, op.buf).add(op.data);
    if (op?.op !== 'read' || !PRIVATE_ANON.has(op.buf)) return;
    const got = w.actors[label.actor]?.regs[op.reg] ?? 'SIGSEGV';
    if (got === 'SIGSEGV') return;
    const ok = this.allowed(proc, op.buf);
    expect(ok.has(got), `process ${proc} reads ${got} from ${op.buf} (fork ${this.forkDone})`).toBe(true);
  }
}

function run(c: Case): { world: World; policies: Policies; program: Program } {
  const policies = profile(c.release).policies;
  const program = programOf(c, policies);
  let world = instantiate(program, policies);
  const privacy = new Privacy();
  for (let i = 0; i < 200; i++) {
    const enabled = enabledTransitions(program, policies, world);
    if (enabled.length === 0) break;
    const t = enabled[(c.schedule[i] ?? 0) % enabled.length];
    if (t === undefined) break;
    const r = applyTransition(program, policies, world, t);
    world = r.world;
    checkStep(world, r.events);
    checkCow(world, policies);
    checkStore(program, world, r.label);
    privacy.step(program, world, r.label);
  }
  return { world, policies, program };
}

/** Quiescence: drop every grab still held (the owner's job), as the kernel call that took it. */
function releaseAll(w: World, policies: Policies): World {
  const out = draftWorld(structuredClone(w));
  const ctx = newCtx(policies);
  for (const actor of out.actors)
    for (const grab of Object.values(actor.held))
      for (const id of grab.folios)
        gupPutFolio(ctx, out, ownFolio(out, id), 1, grab.mode === 'pin' ? FOLL_PIN : FOLL_GET);
  out.actors.forEach((_, i) => (ownActor(out, i).held = {}));
  checkStep(out, ctx.events);
  return out;
}

describe('mm laws over random operation sequences', () => {
  it("keep counters sane after every step, and leave only owners' references at quiescence", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { world, policies } = run(c);
        const quiet = releaseAll(world, policies);
        for (const f of liveFolios(quiet)) {
          expect(f.refcount, `folio ${f.id} (${f.kind}) refcount = owners`).toBe(
            expectedRefcount(quiet, f.id),
          );
          expect(f.pincount, `folio ${f.id} pincount`).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('are deterministic: the same program, profile and schedule give deep-equal Worlds', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(c).world).toEqual(run(c).world);
      }),
      { numRuns: 50 },
    );
  });
});
