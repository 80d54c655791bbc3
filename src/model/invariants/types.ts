import type { ModelEvent } from '../core/events.js';
import type { Program } from '../engine/program.js';
import type { World } from '../core/world.js';

/** What an invariant judges after a step: the World after it, the step's events, and whether the run ended. */
export interface InvariantInput {
  readonly program: Program;
  readonly world: World;
  readonly events: readonly ModelEvent[];
  /** Whether no actor or agent can step any more (the end of a run); judged only when asked. */
  readonly quiescent: () => boolean;
}

/** One thing an invariant found wrong: the folios involved and a short machine-readable reason. */
export interface Violation {
  readonly invariant: string;
  readonly folios: readonly number[];
  readonly what: string;
}

/**
 * A named check. Severity `error` ends the path (the run is wrong); `flag` is reported and the search
 * goes on (a hazard the kernel survives, or a warning it prints).
 */
export interface Invariant {
  readonly name: string;
  readonly severity: 'error' | 'flag';
  /** The kernel bug class it stands for. */
  readonly doc: string;
  check(input: InvariantInput): readonly Violation[];
}
