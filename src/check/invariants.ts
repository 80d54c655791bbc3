import type { Policies } from '../model/profile/policies/index.js';
import type { ModelEvent } from '../model/core/events.js';
import type { Program } from '../model/engine/program.js';
import { quiescent, type StepLabel } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';

/** What an invariant says about a violation: plain data for the reporters (no text formatting here). */
export type ViolationDetail = Readonly<Record<string, string | number | boolean | null | readonly number[]>>;

/**
 * A named safety property judged during the search (design.md §4).
 *
 * - `onStep` is called after every step with the step's events, the World before and after, and the
 *   step's label; a non-null detail is a violation by that step.
 * - `atQuiescence` is called on each final (quiescent) World; a non-null detail is a violation there.
 * - `severity`: `error` stops the violating path (its successors are not explored); `flag` is
 *   remembered on the path and the search goes on.
 * - `scope` (default `step`) is a promise the checker's partial-order reduction relies on: a `step`
 *   invariant's verdict on a step is a disjunction of facts each about one component of the World
 *   (the step's events; one actor with its process and mm and the folios, files and swap slots
 *   reachable from them; one folio and its owners) — per-folio counter checks, per-actor register
 *   checks and event checks all are. A `state` invariant relates independent parts of the World
 *   (two unrelated processes, a global sum); declaring one turns the reduction off for that check.
 * Both functions must be pure and deterministic.
 */
export interface Invariant {
  readonly name: string;
  readonly severity: 'error' | 'flag';
  readonly scope?: 'step' | 'state';
  onStep?(
    events: readonly ModelEvent[],
    before: World,
    after: World,
    label: StepLabel,
    program: Program,
  ): ViolationDetail | null;
  atQuiescence?(world: World, program: Program): ViolationDetail | null;
}

/** A violation as recorded in a trace step. */
export interface Violation {
  readonly invariant: string;
  readonly detail: ViolationDetail;
}

/** DMA or a CPU access touched a folio whose refcount had reached 0 (the model's use-after-free event). */
export const useAfterFree: Invariant = {
  name: 'use-after-free',
  severity: 'error',
  scope: 'step',
  onStep(events) {
    for (const e of events) if (e.type === 'use-after-free') return { folio: e.folio, access: e.access };
    return null;
  },
};

/** An unpin of a reference, a put of a pin, a reference on a kernel page, a negative counter. */
export const counterMismatch: Invariant = {
  name: 'counter-mismatch',
  severity: 'flag',
  scope: 'step',
  onStep(events) {
    for (const e of events) if (e.type === 'counter-mismatch') return { folio: e.folio, what: e.what };
    return null;
  },
};

/**
 * The shape of the model's invariant modules (src/model/invariants/): judged on the World after each
 * step, with its events and whether the run ended; each violation names folios and a reason.
 */
export interface ModelInvariant {
  readonly name: string;
  readonly severity: 'error' | 'flag';
  check(input: {
    readonly program: Program;
    readonly world: World;
    readonly events: readonly ModelEvent[];
    readonly quiescent: () => boolean;
  }): readonly { readonly folios: readonly number[]; readonly what: string }[];
}

/**
 * A model invariant module as a checker invariant: `check` runs after every step on the World after
 * it (`quiescent` judged with the profile's policies, when asked); its first violation is the detail. The
 * model's modules judge per folio, per actor or per event, so they keep the `step` scope.
 */
export function fromModelInvariant(inv: ModelInvariant, policies: Policies): Invariant {
  return {
    name: inv.name,
    severity: inv.severity,
    scope: 'step',
    onStep(events, _before, after, _label, program) {
      // A function: most invariants never ask, and quiescence costs a pass over the actors.
      const v = inv.check({
        program,
        world: after,
        events,
        quiescent: () => quiescent(program, after, policies),
      });
      const first = v[0];
      return first ? { what: first.what, folios: [...first.folios] } : null;
    },
  };
}

/** The invariants every check runs unless told otherwise. */
export const BUILTIN_INVARIANTS: readonly Invariant[] = [useAfterFree, counterMismatch];

/** Every invariant's verdict on one step, in the invariants' order. */
export function stepViolations(
  invariants: readonly Invariant[],
  events: readonly ModelEvent[],
  before: World,
  after: World,
  label: StepLabel,
  program: Program,
): (ViolationDetail | null)[] {
  return invariants.map((inv) => (inv.onStep ? inv.onStep(events, before, after, label, program) : null));
}

export function quiescentViolations(
  invariants: readonly Invariant[],
  world: World,
  program: Program,
): (ViolationDetail | null)[] {
  return invariants.map((inv) => (inv.atQuiescence ? inv.atQuiescence(world, program) : null));
}
