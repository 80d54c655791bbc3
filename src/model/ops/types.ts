import type { Policies } from '../profile/policies/index.js';
import type { Draft } from '../core/cow.js';
import type { Ctx } from '../core/ctx.js';
import type { Local, World } from '../core/world.js';

/** What an operation needs of the program: which process each actor runs in (engine/program.ts). */
export interface ActorPlaces {
  readonly actors: readonly { readonly process: number }[];
}

/** What an operation sees: the World, who runs it, and in which mm. */
export interface OpEnv {
  readonly ctx: Ctx;
  readonly w: World;
  readonly program: ActorPlaces;
  readonly actor: number;
  /** The actor's mm id (its process exists whenever its actor can step). */
  readonly mm: number;
  /** Which of the step's `choices` the scheduler took (0 for an operation without choices). */
  readonly choice: number;
}

/** What an operation's step sees: a draft of the World to change. */
export interface StepEnv extends OpEnv {
  readonly w: Draft;
}

/** What one atomic step did, for the trace: the kernel function it models and the folios it touched. */
export interface StepOutcome {
  readonly fn: string;
  readonly folios: readonly number[];
  /** The operation finished with this step. */
  readonly done: boolean;
  /** The operation's result (a count or -errno) when it has one. */
  readonly ret: number | null;
}

/**
 * What an operation's steps may reach, for the checker's partial-order reduction (check/por.ts):
 * `actor`, only its actor's component (its own mappings, grabs and process slots, and what they
 * reach, fresh allocations aside); `any`, anything (files, pipes, bios, other processes' memory).
 */
export type Footprint = 'actor' | 'any';

/** What an operation keeps between its steps (in the actor's locals), by name. */
export type Locals = Readonly<Record<string, Local>>;

/** No locals: an operation of one step, or one whose steps share nothing. */
export type NoLocals = Readonly<Record<never, Local>>;

/**
 * One atomic step of an operation, named after what it does. `enabled` (absent: always) and
 * `choices` (absent: one) read the World; `run` changes a draft of it and says whether the operation
 * finished. `locals` are what the earlier steps kept (setLocal), typed by the operation.
 */
export interface OpStep<O, L extends Locals> {
  readonly name: string;
  /** Whether the step can run now (false while it waits, e.g. for an I/O to complete). */
  enabled?(env: OpEnv, op: O, locals: Partial<L>): boolean;
  /** How many ways the step can go, each a transition of its own. */
  choices?(env: OpEnv, op: O, locals: Partial<L>): number;
  run(env: StepEnv, op: O, locals: Partial<L>): StepOutcome;
}

/**
 * One kind of operation a scenario's actor can run: its facts (footprint, availability per release)
 * and its steps, in order, the actor's `phase` saying which is next.
 */
export interface OpDef<O, L extends Locals = NoLocals> {
  /** What its steps may reach (a new operation must say: the reduction trusts it). */
  readonly footprint: Footprint;
  /** Why the profile cannot run this operation at all, or null. */
  unavailable(policies: Policies, op: O): string | null;
  readonly steps: readonly OpStep<O, L>[];
}

export function finished(fn: string, folios: readonly number[], ret: number | null = null): StepOutcome {
  return { fn, folios, done: true, ret };
}
