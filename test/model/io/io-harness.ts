import {
  INVARIANTS,
  judgeStep,
  type InvariantInput,
  type Violation,
} from '../../../src/model/invariants/index.js';

/** Every violation the model's invariants find in a step. */
function checkInvariants(input: InvariantInput): Violation[] {
  return (judgeStep(INVARIANTS, input) ?? []).map((f) => f.violation);
}
import type { Op } from '../../../src/model/ops/index.js';
import type { KernelProfile } from '../../../src/model/profile/profiles.js';
import type { ModelEvent } from '../../../src/model/core/events.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import type { AgentKind, FileSpec, MappingSpec, Program } from '../../../src/model/engine/program.js';
import {
  applyTransition,
  enabledTransitions,
  quiescent,
  type StepLabel,
  type Transition,
} from '../../../src/model/engine/step.js';
import type { World } from '../../../src/model/core/world.js';

/** Test-only helpers for the I/O half: programs with files and agents, and an exhaustive explorer. */

export function fileMap(name: string, file: number, shared: boolean, pgoff = 0): MappingSpec {
  return {
    name,
    backing: { type: 'file', file, pgoff },
    shared,
    page: { kind: 'base' },
    read: true,
    write: true,
  };
}

export interface IoProgramSpec {
  files?: FileSpec[];
  mappings: MappingSpec[];
  actors: { process: number; ops: Op[] }[];
  setup?: Op[];
  agents?: AgentKind[];
  pipes?: string[];
}

/** Process 0 is P (with the mappings), process 1 is C (created by a fork). */
export function ioProgram(s: IoProgramSpec): Program {
  return {
    files: s.files ?? [],
    processes: [
      { name: 'P', mappings: s.mappings, forked: false },
      { name: 'C', mappings: [], forked: true },
    ],
    setup: (s.setup ?? []).map((o) => [0, o] as const),
    actors: s.actors.map((a, i) => ({ name: `T${i}`, process: a.process, ops: a.ops })),
    agents: s.agents ?? ['device', 'bio-dirty-work'],
    pipes: s.pipes ?? [],
  };
}

export interface Explored {
  /** Invariant names violated on some path, with the first path (step labels) that showed each. */
  readonly violations: Map<string, { v: Violation; trace: StepLabel[] }>;
  readonly finals: World[];
  readonly states: number;
  readonly events: ModelEvent[];
}

/** Exhaustive DFS over every interleaving (states deduplicated), checking the invariants after each step. */
export function explore(p: KernelProfile, program: Program, limit = 200_000): Explored {
  const seen = new Set<string>();
  const violations = new Map<string, { v: Violation; trace: StepLabel[] }>();
  const finals: World[] = [];
  const events: ModelEvent[] = [];
  const stack: { w: World; trace: StepLabel[] }[] = [{ w: instantiate(program, p.policies), trace: [] }];
  while (stack.length > 0) {
    const { w, trace } = stack.pop() as { w: World; trace: StepLabel[] };
    const key = JSON.stringify(w);
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > limit) throw new Error('state limit');
    const ts: Transition[] = enabledTransitions(program, p.policies, w);
    if (ts.length === 0) finals.push(w);
    for (const t of ts) {
      const r = applyTransition(program, p.policies, w, t);
      const next = [...trace, r.label];
      events.push(...r.events);
      const q = quiescent(program, r.world, p.policies);
      for (const v of checkInvariants({ program, world: r.world, events: r.events, quiescent: () => q }))
        if (!violations.has(v.invariant)) violations.set(v.invariant, { v, trace: next });
      stack.push({ w: r.world, trace: next });
    }
  }
  return { violations, finals, states: seen.size, events };
}

/** Run one schedule given as transitions picked by actor index (first choice of that actor). */
export function runOrder(
  p: KernelProfile,
  program: Program,
  order: readonly number[],
): {
  world: World;
  events: ModelEvent[];
  labels: StepLabel[];
  violations: Violation[];
} {
  let w = instantiate(program, p.policies);
  const events: ModelEvent[] = [];
  const labels: StepLabel[] = [];
  const violations: Violation[] = [];
  const queue = [...order];
  for (let guard = 0; guard < 500; guard++) {
    const ts = enabledTransitions(program, p.policies, w);
    if (ts.length === 0) break;
    const want = queue.shift();
    const t = want === undefined ? ts[0] : ts.find((x) => x.actor === want);
    if (t === undefined) throw new Error(`actor ${want} not enabled at step ${labels.length}`);
    const r = applyTransition(program, p.policies, w, t);
    w = r.world;
    events.push(...r.events);
    labels.push(r.label);
    violations.push(
      ...checkInvariants({
        program,
        world: w,
        events: r.events,
        quiescent: () => quiescent(program, w, p.policies),
      }),
    );
  }
  return { world: w, events, labels, violations };
}
