import { judgeStep, type Found, type Invariant, type InvariantInput } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { ModelEvent } from '../model/core/events.js';
import type { Program } from '../model/engine/program.js';
import { quiescent, type StepResult } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';

/** A step's outcome as the invariants see it: quiescence computed once, and only when one asks. */
class StepInput implements InvariantInput {
  private q: boolean | undefined = undefined;

  constructor(
    readonly program: Program,
    private readonly policies: Policies,
    readonly world: World,
    readonly events: readonly ModelEvent[],
  ) {}

  quiescent(): boolean {
    return (this.q ??= quiescent(this.program, this.world, this.policies));
  }
}

/** Every violation `invariants` find in the step that gave `r` (null when none), in their order. */
export function stepViolations(
  invariants: readonly Invariant[],
  program: Program,
  policies: Policies,
  r: StepResult,
): readonly Found[] | null {
  return judgeStep(invariants, new StepInput(program, policies, r.world, r.events));
}
