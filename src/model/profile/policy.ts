import type { Release } from './release.js';

/** How sure we are of the release that changed a behaviour: H seen in source or a dated merge, M inferred. */
export type Confidence = 'H' | 'M' | 'L';

/** One change of a policy's value, in the first mainline release that has it. */
export interface PolicyChange<V extends string> {
  readonly since: Release;
  readonly value: V;
  /** The commit subject (and id when known) that made the change. */
  readonly commit: string;
  readonly confidence: Confidence;
}

/**
 * A kernel behaviour that changed across releases. The model reads the value from the profile; it never
 * compares versions itself.
 */
export interface PolicyDef<V extends string> {
  readonly doc: string;
  /** The kernel function whose behaviour this is. */
  readonly kernel: string;
  readonly values: readonly V[];
  /** Oldest first; the first entry's `since` is the oldest release pinlab models. */
  readonly history: readonly PolicyChange<V>[];
}

export function policy<const V extends string>(def: PolicyDef<V>): PolicyDef<V> {
  return def;
}
