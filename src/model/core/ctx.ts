import type { Policies } from '../profile/policies/index.js';
import type { ModelEvent } from './events.js';

/**
 * What a model function needs besides the World: the profile's policies, and the step's event sink.
 * A fresh Ctx is made for every step, so nothing in it outlives the step.
 */
export interface Ctx {
  readonly policies: Policies;
  readonly events: ModelEvent[];
  /** Kernel functions the step ran, in order, for the trace (the fault handler it took, ...). */
  readonly calls: string[];
}

export function newCtx(policies: Policies): Ctx {
  return { policies, events: [], calls: [] };
}
