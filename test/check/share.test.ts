import { describe, expect, it } from 'vitest';
import { libraryFiles, loadScenarios, displayName } from '../../src/cli/library.js';
import { resolveBounds } from '../../src/check/bounds.js';
import { explore, mergeStats, searchTables, type ExploreStats } from '../../src/check/explore.js';
import { DepthFirstSearch } from '../../src/check/search.js';
import { handOff, rootUnit, type WorkShare, type WorkUnit } from '../../src/check/share.js';
import { FingerprintTable } from '../../src/check/fingerprint-table.js';
import { ALONE_STATES, threadedExplorer } from '../../src/runtime/threads.js';
import { INVARIANT_TABLE, INVARIANTS } from '../../src/model/invariants/index.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import { profile } from '../model/harness.js';
import { parseOk } from '../scenario/helpers.js';
import { gupForkTwoSpec } from './programs.js';

/**
 * The search as threads.ts shares it, in one thread: a search that gives its untaken transitions
 * away at every chance, and further searches over the same tables that take those units in turn,
 * count what one search counts. This is the parallel check's correctness argument (each state is
 * stored once and expanded by whoever stored it), without the threads' timing.
 */

const loaded = loadScenarios(libraryFiles(), displayName);
if (!loaded.ok) throw new Error(loaded.messages.join('\n'));

/** What a complete search must count the same however it was shared. */
function counts(s: ExploreStats): unknown {
  return {
    states: s.states,
    transitions: s.transitions,
    finals: s.finals,
    deadlocks: s.deadlocks,
    bound: s.bound,
    conditions: s.conditions,
    outcomes: s.outcomes,
    invariants: s.invariants.map((i) => [i.violated, i.cleanTerminals, i.violatingFinals]),
  };
}

/** A library instance on a kernel, with the options of an unreduced search of the model's invariants. */
function instance(id: string, kernel: string) {
  const s = loaded.ok ? loaded.scenarios.find((x) => x.scenario.id === id) : undefined;
  if (!s) throw new Error(id);
  const p = profile(kernel);
  const { program, conditions } = s.scenario;
  const opts = {
    por: false,
    invariants: INVARIANTS,
    bounds: resolveBounds({}, false),
  };
  return { p, program, conditions, opts, initial: instantiate(program, p.policies) };
}

/** Search with `searches` searches taking turns over one pool of units; every give is accepted. */
function shared(id: string, kernel: string, searches: number): { stats: ExploreStats; units: number } {
  const { p, program, conditions, opts, initial } = instance(id, kernel);
  const pool: WorkUnit[] = [rootUnit(initial)];
  let given = 0;
  const share: WorkShare = {
    every: 1,
    handOffAt: Number.POSITIVE_INFINITY,
    poll: () => null,
    wanted: () => true,
    give: (u) => {
      given += 1;
      pool.push(u);
      return true;
    },
    stop: () => undefined,
  };
  const tables = searchTables(opts.invariants.length, opts.bounds.maxMemory, (n) => new FingerprintTable(n));
  const all = Array.from(
    { length: searches },
    () => new DepthFirstSearch(program, p.policies, initial, conditions, opts, tables, share),
  );
  for (let turn = 0; pool.length > 0; turn++) all[turn % searches]?.run(pool.pop() as WorkUnit);
  return { stats: mergeStats(all.map((x) => x.stats())), units: given };
}

function alone(id: string, kernel: string): ExploreStats {
  const { p, program, conditions, opts, initial } = instance(id, kernel);
  return explore(program, p.policies, initial, conditions, opts);
}

describe('a search shared out in work units', () => {
  const cases: [string, string][] = [
    ['dio-read-fork[path=blkdev]', 'v6.4'],
    ['dio-read-fork[path=blkdev]', 'v6.5'],
    ['ro-pin-unshare', 'v5.10'],
    ['vmsplice-child-unmap[page=thp]', 'v5.8'],
    ['should-dirty-redirty[path=legacy]', 'v6.1'],
    ['mm-race-fork-write[grab=get]', 'v5.4'],
    ['bvec-async-lifetime', 'v6.1'],
  ];
  for (const [id, kernel] of cases)
    it(`${id} on ${kernel}: counts what one search counts`, () => {
      const one = alone(id, kernel);
      for (const searches of [1, 2, 3]) {
        const { stats, units } = shared(id, kernel, searches);
        expect(units).toBeGreaterThan(0); // work was really given away
        expect(counts(stats)).toEqual(counts(one));
        expect(stats.por).toBe(false);
      }
    });
});

/** A search stopped at `at` states, then gone on with by another over its tables, from its untaken work. */
function handedOn(id: string, kernel: string, at: number): { stats: ExploreStats; units: number } {
  const { p, program, conditions, opts, initial } = instance(id, kernel);
  const tables = searchTables(opts.invariants.length, opts.bounds.maxMemory, (n) => new FingerprintTable(n));
  const handed = handOff(at);
  const first = new DepthFirstSearch(program, p.policies, initial, conditions, opts, tables, handed);
  first.run(rootUnit(initial));
  const { units } = handed;
  expect(first.stats().states).toBe(at);
  const next = new DepthFirstSearch(program, p.policies, initial, conditions, opts, tables);
  for (const u of [...units].reverse()) next.run(u);
  return { stats: mergeStats([first.stats(), next.stats()]), units: units.length };
}

describe('a search handed on at a number of states (threadedExplorer past ALONE_STATES)', () => {
  const cases: [string, string][] = [
    ['dio-read-fork[path=blkdev]', 'v6.4'],
    ['dio-read-fork[path=blkdev]', 'v6.5'],
    ['ro-pin-unshare', 'v5.10'],
    ['vmsplice-child-unmap[page=thp]', 'v5.8'],
    ['should-dirty-redirty[path=legacy]', 'v6.1'],
  ];
  for (const [id, kernel] of cases)
    it(`${id} on ${kernel}, handed on at a third and at two thirds: counts what one search counts`, () => {
      const one = alone(id, kernel);
      for (const at of [Math.floor(one.states / 3), Math.floor((2 * one.states) / 3)]) {
        const { stats, units } = handedOn(id, kernel, at);
        expect(units).toBeGreaterThan(1); // the stack's frames, each with its untaken transitions
        expect(counts(stats)).toEqual(counts(one));
        expect(stats.maxDepth).toBe(one.maxDepth);
      }
    });

  it('a search over before the hand-off hands nothing on', () => {
    const { p, program, conditions, opts, initial } = instance('dio-read-fork[path=blkdev]', 'v6.4');
    const one = alone('dio-read-fork[path=blkdev]', 'v6.4');
    const tables = searchTables(
      opts.invariants.length,
      opts.bounds.maxMemory,
      (n) => new FingerprintTable(n),
    );
    const handed = handOff(one.states + 1);
    const s = new DepthFirstSearch(program, p.policies, initial, conditions, opts, tables, handed);
    s.run(rootUnit(initial));
    expect(handed.units).toEqual([]);
    expect(counts(s.stats())).toEqual(counts(one));
  });
});

describe('threadedExplorer', () => {
  it('searches a small check in the calling thread, unreduced, starting no worker', () => {
    // From the TypeScript sources there is no compiled worker: starting one would throw.
    const { p, program, conditions, opts, initial } = instance('dio-read-fork[path=blkdev]', 'v6.4');
    const one = explore(program, p.policies, initial, conditions, opts);
    expect(one.states).toBeLessThan(ALONE_STATES);
    const asked = { ...opts, por: true };
    const two = threadedExplorer(2)(program, p.policies, initial, conditions, asked);
    expect(two).toEqual(one);
  });

  it('judges only the model table’s invariants, which the workers pick by name', () => {
    const { p, program, conditions, opts, initial } = instance('dio-read-fork[path=blkdev]', 'v6.4');
    const custom = { ...opts, invariants: [{ ...INVARIANT_TABLE['lost-write'] }] };
    const threads = threadedExplorer(2);
    expect(() => threads(program, p.policies, initial, conditions, custom)).toThrow(
      /table's invariants only/,
    );
  });

  it('moves a larger search to the threads (from the sources: no compiled worker to start)', () => {
    const [s] = parseOk(gupForkTwoSpec(), 'gup-fork-2.pin');
    if (!s) throw new Error('gup-fork-2.pin');
    const p = profile('v6.5');
    const { program, conditions } = s.scenario;
    const initial = instantiate(program, p.policies);
    const opts = {
      por: false,
      invariants: INVARIANTS,
      bounds: resolveBounds({}, false),
    };
    const threads = threadedExplorer(2);
    expect(() => threads(program, p.policies, initial, conditions, opts)).toThrow(/no compiled worker/);
    const bounded = { ...opts, bounds: resolveBounds({ maxStates: ALONE_STATES }, false) };
    expect(threads(program, p.policies, initial, conditions, bounded).bound).toBe('states');
  });
});

describe('mergeStats', () => {
  const part = (over: Partial<ExploreStats>): ExploreStats => ({
    states: 10,
    transitions: 5,
    maxDepth: 3,
    bound: null,
    finals: 2,
    deadlocks: 0,
    conditions: [{ satisfy: 1, violate: 0 }],
    invariants: [{ violated: false, cleanTerminals: 1, violatingFinals: 0, firstViolation: null }],
    outcomes: { list: [{ values: ['A'], count: 2 }], unlisted: 0 },
    failures: [],
    por: false,
    tableBytes: 64,
    ...over,
  });

  it('sums each thread’s own counts and takes the shared tables’ last sizes', () => {
    const x = { code: 'x', invariant: 'i', folios: [], what: 'x' };
    const m = mergeStats([
      part({}),
      part({
        states: 12,
        transitions: 7,
        maxDepth: 9,
        finals: 3,
        conditions: [{ satisfy: 2, violate: 1 }],
        invariants: [{ violated: true, cleanTerminals: 4, violatingFinals: 1, firstViolation: x }],
        outcomes: {
          list: [
            { values: ['B'], count: 1 },
            { values: ['A'], count: 1 },
          ],
          unlisted: 2,
        },
      }),
    ]);
    expect(m.outcomes).toEqual({
      list: [
        { values: ['A'], count: 3 },
        { values: ['B'], count: 1 },
      ],
      unlisted: 2,
    });
    expect(m).toMatchObject({ states: 12, transitions: 12, maxDepth: 9, finals: 3, tableBytes: 64 });
    expect(m.conditions).toEqual([{ satisfy: 3, violate: 1 }]);
    expect(m.invariants).toEqual([
      { violated: true, cleanTerminals: 4, violatingFinals: 1, firstViolation: x },
    ]);
  });

  it('a bound a thread stopped on wins over a truncation by depth', () => {
    expect(mergeStats([part({ bound: 'depth' }), part({ bound: 'states' })]).bound).toBe('states');
    expect(mergeStats([part({ bound: 'depth' }), part({})]).bound).toBe('depth');
    expect(mergeStats([part({}), part({})]).bound).toBeNull();
  });
});
