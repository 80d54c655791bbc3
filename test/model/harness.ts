import { kernelProfile, isProfileError, type KernelProfile } from '../../src/model/profile/profiles.js';
import type { Op } from '../../src/model/ops/index.js';
import type { MappingSpec, PageSpec, Program } from '../../src/model/engine/program.js';
import { applyTransition, enabledTransitions } from '../../src/model/engine/step.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import type { ModelEvent } from '../../src/model/core/events.js';
import type { World } from '../../src/model/core/world.js';
import { FOLL_LONGTERM, FOLL_WRITE } from '../../src/model/include/foll.js';

/** Test-only helpers to drive the model without the scenario language. */

export function profile(name: string, set: Record<string, string> = {}): KernelProfile {
  const p = kernelProfile(name, set);
  if (isProfileError(p)) throw new Error(`profile ${name}: ${p.code}`);
  return p;
}

export function anon(name: string, page: PageSpec = { kind: 'base' }, shared = false): MappingSpec {
  return { name, backing: { type: 'anon' }, shared, page, read: true, write: true };
}

export const HUGETLB_2M: PageSpec = { kind: 'hugetlb', order: 9 };
export const THP_PMD: PageSpec = { kind: 'thp', order: 9 };

export const op = {
  write: (buf: string, data: string): Op => ({ op: 'write', buf, data }),
  read: (buf: string, reg: string): Op => ({ op: 'read', buf, reg }),
  fork: (child: number): Op => ({ op: 'fork', child }),
  exit: (): Op => ({ op: 'exit' }),
  munmap: (buf: string): Op => ({ op: 'munmap', buf }),
  get: (buf: string, as: string, flags = 0): Op => ({ op: 'gup', buf, mode: 'get', flags, fast: true, as }),
  pin: (buf: string, as: string, flags = 0): Op => ({ op: 'gup', buf, mode: 'pin', flags, fast: true, as }),
  pinLongtermWrite: (buf: string, as: string): Op => ({
    op: 'gup',
    buf,
    mode: 'pin',
    flags: FOLL_WRITE | FOLL_LONGTERM,
    fast: false,
    as,
  }),
  unpin: (handle: string): Op => ({ op: 'release', handle, how: 'unpin' }),
  put: (handle: string): Op => ({ op: 'release', handle, how: 'put' }),
  peek: (handle: string, reg: string): Op => ({ op: 'peek', handle, reg }),
};

export interface Run {
  readonly world: World;
  readonly events: ModelEvent[];
}

/**
 * Run a program with a fixed schedule: `order` lists which actor steps next, one entry per step;
 * when it runs out, the remaining enabled actors step lowest-index first.
 */
export function runSchedule(p: KernelProfile, program: Program, order: readonly number[] = []): Run {
  let world = instantiate(program, p.policies);
  const events: ModelEvent[] = [];
  const queue = [...order];
  for (let guard = 0; guard < 1000; guard++) {
    const enabled = enabledTransitions(program, p.policies, world);
    if (enabled.length === 0) return { world, events };
    const want = queue.shift();
    const t = want === undefined ? enabled[0] : enabled.find((e) => e.actor === want);
    if (t === undefined) throw new Error(`actor ${want} is not enabled`);
    const r = applyTransition(program, p.policies, world, t);
    world = r.world;
    events.push(...r.events);
  }
  throw new Error('schedule did not end');
}

/** One process P with the given mappings and one actor running `ops`, plus an optional child process C. */
export function program(
  mappings: MappingSpec[],
  actors: { process: number; ops: Op[] }[],
  setup: Op[] = [],
): Program {
  return {
    files: [],
    processes: [
      { name: 'P', mappings, forked: false },
      { name: 'C', mappings: [], forked: true },
    ],
    setup: setup.map((o) => [0, o] as const),
    actors: actors.map((a, i) => ({ name: `T${i}`, process: a.process, ops: a.ops })),
  };
}

export function reg(run: Run, actor: number, name: string): string | undefined {
  return run.world.actors[actor]?.regs[name];
}
