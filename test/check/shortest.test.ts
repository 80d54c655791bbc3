import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, type Invariant } from '../../src/check/index.js';
import type { Condition } from '../../src/check/condition.js';
import { evalProp } from '../../src/check/evaluate.js';
import { stepViolations } from '../../src/check/invariants.js';
import { INVARIANTS } from '../../src/model/invariants/index.js';
import { FRONTIER_WORLD_BYTES } from '../../src/check/shortest.js';
import type { KernelProfile } from '../../src/model/profile/profiles.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import type { Program } from '../../src/model/engine/program.js';
import { applyTransition, enabledTransitions, quiescent } from '../../src/model/engine/step.js';
import type { World } from '../../src/model/core/world.js';
import { profile } from '../model/harness.js';
import { parseOk } from '../scenario/helpers.js';
import { cve, cveLeak, exists, exitRace, forall, putOfPin, regIs } from './programs.js';

interface Brute {
  /** Per condition: shortest run to a final state satisfying it (or Infinity). */
  readonly satisfy: number[];
  /** Per invariant: shortest run whose last step violates it. */
  readonly violation: number[];
  readonly schedules: number;
}

/** Enumerate every schedule (no state merging), with the checker's rule that an error ends a path. */
function brute(
  program: Program,
  p: KernelProfile,
  conds: readonly Condition[],
  invs: readonly Invariant[],
): Brute {
  const satisfy = conds.map(() => Number.POSITIVE_INFINITY);
  const violation = invs.map(() => Number.POSITIVE_INFINITY);
  let schedules = 0;
  const go = (w: World, depth: number): void => {
    const enabled = enabledTransitions(program, p.policies, w);
    if (enabled.length === 0) {
      schedules += 1;
      if (quiescent(program, w))
        conds.forEach((c, i) => {
          if (evalProp(w, c.prop)) satisfy[i] = Math.min(satisfy[i] ?? 0, depth);
        });
      return;
    }
    for (const t of enabled) {
      const r = applyTransition(program, p.policies, w, t);
      let dead = false;
      for (const { at } of stepViolations(invs, program, p.policies, r) ?? []) {
        violation[at] = Math.min(violation[at] ?? 0, depth + 1);
        if (invs[at]?.severity === 'error') dead = true;
      }
      if (dead)
        schedules += 1; // an error ends the path: a maximal one
      else go(r.world, depth + 1);
    }
  };
  go(instantiate(program, p.policies), 0);
  return { satisfy, violation, schedules };
}

const CASES: [string, () => Program, Condition[], string][] = [
  ['cve', cve, [cveLeak, exists('no-leak', { kind: 'not', arg: regIs(1, 'seen', 'B') })], 'v5.4'],
  [
    'exit-race',
    exitRace,
    [
      exists('z', regIs(1, 'r', 'Z')),
      exists('no-read', {
        kind: 'eq',
        left: { kind: 'reg', actor: 1, reg: 'r' },
        right: { kind: 'reg', actor: 1, reg: 'unset' },
      }),
    ],
    'v6.1',
  ],
  ['put-of-pin', putOfPin, [exists('a', regIs(1, 'r', 'A')), forall('b', regIs(1, 'r', 'B'))], 'v6.1'],
];

describe('shortest traces', () => {
  it.each(CASES)(
    '%s: every trace is as short as the shortest schedule that shows it',
    (_n, prog, conds, k) => {
      const p = profile(k);
      const b = brute(prog(), p, conds, INVARIANTS);
      expect(b.schedules).toBeGreaterThan(2);
      for (const por of [true, false]) {
        const r = check(prog(), conds, p, { por });
        r.conditions.forEach((c, i) => {
          const want = b.satisfy[i] ?? Number.POSITIVE_INFINITY;
          if (want === Number.POSITIVE_INFINITY) expect(c.trace).toBeNull();
          else expect(c.trace?.steps.length).toBe(want);
        });
        r.invariants.forEach((inv, i) => {
          const want = b.violation[i] ?? Number.POSITIVE_INFINITY;
          if (want === Number.POSITIVE_INFINITY) expect(inv.trace).toBeNull();
          else expect(inv.trace?.steps.length).toBe(want);
        });
      }
    },
  );

  it('exit-race has runs of different lengths, and the trace picks the short one', () => {
    const p = profile('v6.1');
    const conds = CASES[1]?.[2] ?? [];
    const b = brute(exitRace(), p, conds, INVARIANTS);
    expect(b.satisfy).toEqual([5, 2]);
    const r = check(exitRace(), conds, p);
    expect(r.conditions[1]?.trace?.steps.map((s) => s.op)).toEqual(['write', 'exit']);
  });
});

describe('shortest traces: memory bound', () => {
  it('counts the Worlds of a BFS level, and stops the pass before they exhaust the heap', () => {
    const text = readFileSync(new URL('../../bench/gup-fork.pin', import.meta.url), 'utf8').replace(
      /^thread S[12] in P\n(?: {2}.*\n)*\n?/gm,
      '',
    );
    const s = parseOk(text, 'gup-fork.pin')[0]!.scenario;
    const p = profile('v5.4');
    const full = check(s.program, s.conditions, p, { por: false });
    expect(full.traceBound).toBeNull();
    expect(full.conditions[0]?.trace).not.toBeNull();
    // Room for the search's tables, not for a level of a few hundred Worlds.
    const tight = check(s.program, s.conditions, p, { por: false, maxMemory: 64 * FRONTIER_WORLD_BYTES });
    expect(tight.bound).toBeNull();
    expect(tight.conditions[0]?.verdict).toBe(full.conditions[0]?.verdict);
    expect(tight.traceBound).toBe('memory');
  });
});
