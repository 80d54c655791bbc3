import type { Folio, FolioFlags, FolioKind } from '../model/include/mm_types.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { ModelEvent } from '../model/sim/events.js';
import type { Program } from '../model/sim/program.js';
import { applyTransition, enabledTransitions, quiescent, type Transition } from '../model/sim/step.js';
import type { World } from '../model/sim/world.js';
import { stepViolations, type Invariant, type Violation } from './invariants.js';

/** A folio's counters and state at one moment, as a trace shows them. */
export interface FolioCounters {
  readonly id: number;
  readonly kind: FolioKind;
  readonly order: number;
  readonly refcount: number;
  readonly mapcount: number;
  readonly pincount: number;
  readonly flags: FolioFlags;
  readonly data: string;
  readonly freed: boolean;
}

/** A folio the step touched: its counters before (null if the step allocated it) and after. */
export interface FolioChange {
  readonly id: number;
  readonly before: FolioCounters | null;
  readonly after: FolioCounters | null;
}

/** One numbered step of an interleaving. */
export interface TraceStep {
  /** 1-based position in the trace. */
  readonly step: number;
  readonly actor: number;
  readonly actorName: string;
  readonly choice: number;
  /** Which operation of the actor (its index) and which kind. */
  readonly pc: number;
  readonly op: string;
  /** The kernel function the step models, and the functions it ran. */
  readonly fn: string;
  readonly calls: readonly string[];
  readonly ret: number | null;
  readonly folios: readonly FolioChange[];
  readonly events: readonly ModelEvent[];
  readonly violations: readonly Violation[];
}

/** How a trace ends: in a final state, a deadlock, with a violating step, or (replay) elsewhere. */
export type TraceEnd = 'quiescent' | 'deadlock' | 'violation' | 'running';

export interface Trace {
  /** The replay token: `pinlab replay TOKEN` runs exactly these steps. */
  readonly token: string;
  readonly end: TraceEnd;
  readonly steps: readonly TraceStep[];
}

/** An actor's name, or a kernel agent's kind (agents are numbered after the program's actors). */
export function actorName(program: Program, actor: number): string {
  return program.actors[actor]?.name ?? program.agents?.[actor - program.actors.length] ?? `#${actor}`;
}

export function folioCounters(f: Folio): FolioCounters {
  return {
    id: f.id,
    kind: f.kind,
    order: f.order,
    refcount: f.refcount,
    mapcount: f.mapcount,
    pincount: f.pincount,
    flags: { ...f.flags },
    data: f.data,
    freed: f.freed,
  };
}

export interface StepsRun {
  readonly steps: TraceStep[];
  readonly world: World;
  /** Index (0-based) of the first transition that was not enabled, or null when all ran. */
  readonly notEnabledAt: number | null;
}

/**
 * Run `transitions` from `initial`, recording each step: the trace steps of an interleaving. Stops at
 * the first transition that is not enabled (a bad replay token).
 */
export function runSteps(
  program: Program,
  policies: Policies,
  initial: World,
  transitions: readonly Transition[],
  invariants: readonly Invariant[],
): StepsRun {
  let world = initial;
  const steps: TraceStep[] = [];
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i] as Transition;
    const ok = enabledTransitions(program, policies, world).some(
      (e) => e.actor === t.actor && e.choice === t.choice,
    );
    if (!ok) return { steps, world, notEnabledAt: i };
    const r = applyTransition(program, policies, world, t);
    const ids = [...new Set([...r.label.folios, ...r.events.map((e) => e.folio)])];
    const folios = ids.map((id) => {
      const b = world.folios[id];
      const a = r.world.folios[id];
      return { id, before: b ? folioCounters(b) : null, after: a ? folioCounters(a) : null };
    });
    const viol = stepViolations(invariants, r.events, world, r.world, r.label, program);
    const violations: Violation[] = [];
    viol.forEach((d, j) => {
      const inv = invariants[j];
      if (d !== null && inv) violations.push({ invariant: inv.name, detail: d });
    });
    steps.push({
      step: i + 1,
      actor: t.actor,
      actorName: actorName(program, t.actor),
      choice: t.choice,
      pc: r.label.pc,
      op: r.label.op,
      fn: r.label.fn,
      calls: [...r.label.calls],
      ret: r.label.ret,
      folios,
      events: r.events,
      violations,
    });
    world = r.world;
  }
  return { steps, world, notEnabledAt: null };
}

/** How a World ends a trace. */
export function endOf(program: Program, policies: Policies, world: World): TraceEnd {
  if (enabledTransitions(program, policies, world).length > 0) return 'running';
  return quiescent(program, world, policies) ? 'quiescent' : 'deadlock';
}
