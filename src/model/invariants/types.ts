import type { ModelEvent } from '../core/events.js';
import type { Program } from '../engine/program.js';
import type { World } from '../core/world.js';

/** What an invariant judges after a step: the World after it, the step's events, and whether the run ended. */
export interface InvariantInput {
  readonly program: Program;
  readonly world: World;
  readonly events: readonly ModelEvent[];
  /** Whether no actor or agent can step any more (the end of a run); judged only when asked. */
  quiescent(): boolean;
}

/**
 * One thing an invariant found wrong, as data: a machine-readable `code` (one of the invariant's own),
 * the invariant's name, the folios involved and a short reason for a reader.
 */
export interface Violation<Code extends string = string> {
  readonly code: Code;
  readonly invariant: string;
  readonly folios: readonly number[];
  readonly what: string;
}

/**
 * A named safety property, judged after every step. `check` returns every violation
 * the step shows (none: an empty list) and must be pure and deterministic.
 *
 * - `severity`: `error` ends the path (the run is wrong, its successors are not explored); `flag` is
 *   remembered on the path and the search goes on (a hazard the kernel survives, or a warning it prints).
 * - `scope` is a promise the checker's partial-order reduction relies on: a `step` invariant's verdict
 *   on a step is a disjunction of facts each about one component of the World (the step's events; one
 *   actor with its process and mm and the folios, files and swap slots reachable from them; one folio
 *   and its owners) — per-folio counter checks, per-actor register checks and event checks all are. A
 *   `state` invariant relates independent parts of the World (two unrelated processes, a global sum);
 *   one in a check turns the reduction off.
 */
export interface Invariant<Code extends string = string> {
  readonly name: string;
  readonly severity: 'error' | 'flag';
  readonly scope: 'step' | 'state';
  /** The kernel bug class it stands for. */
  readonly doc: string;
  check(input: InvariantInput): readonly Violation<Code>[];
}

/** A violation of a step with the index, in the list judged, of the invariant that found it. */
export interface Found {
  readonly at: number;
  readonly violation: Violation;
}
