import type { Condition } from '../check/condition.js';
import type { Program } from '../model/engine/program.js';
import type { Pos, ScenarioError } from './errors.js';

/** The verdicts a scenario can expect (herd7's words; `inconclusive` is never expected). */
export type ExpectedVerdict = 'never' | 'sometimes' | 'always';

export const EXPECTED_VERDICTS: readonly ExpectedVerdict[] = ['never', 'sometimes', 'always'];

/** What a scenario expects of one condition on one kernel profile (a release or a variant). */
export interface Expectation {
  readonly condition: string;
  readonly kernel: string;
  readonly verdict: ExpectedVerdict;
}

/** The value an axis takes in one expanded scenario: `axis page = base | thp` gives page=base, page=thp. */
export interface AxisValue {
  readonly axis: string;
  readonly value: string;
}

/**
 * One scenario, ready to check: `program` is exactly the model's Program. A file with axes expands to one
 * Scenario per combination of axis values, each with the values in its `id` and `name`
 * (`vmsplice-child-unmap[page=thp]`).
 */
export interface Scenario {
  /** The file's name without `.pin` (the header name when parsed from a string), plus axis values. */
  readonly id: string;
  /** The header's `scenario NAME`, plus axis values. */
  readonly name: string;
  /** One paragraph: what the scenario does and what goes wrong. */
  readonly intent: string;
  /** The seed message, commit or CVE it comes from. */
  readonly source: string;
  /** The axis values this expansion was made with, in declaration order. */
  readonly axes: readonly AxisValue[];
  readonly program: Program;
  readonly conditions: readonly Condition[];
  /** Ordered by condition, then by kernel (KERNELS order: releases and stable series, then variants). */
  readonly expectations: readonly Expectation[];
}

/**
 * Where each part of a scenario is in its file, parallel to the Scenario's arrays, so that a later stage
 * (the checker finding an operation unavailable on a profile) can point at the text.
 */
export interface SourceMap {
  readonly file: string;
  readonly scenario: Pos;
  readonly files: readonly Pos[];
  readonly pipes: readonly Pos[];
  readonly agents: readonly Pos[];
  readonly processes: readonly Pos[];
  /** [process][mapping] */
  readonly mappings: readonly (readonly Pos[])[];
  /** Parallel to program.setup: the operation's first word. */
  readonly setup: readonly Pos[];
  readonly actors: readonly Pos[];
  /** [actor][op]: the operation's first word. */
  readonly ops: readonly (readonly Pos[])[];
  readonly conditions: readonly Pos[];
}

export interface ParsedScenario {
  readonly scenario: Scenario;
  readonly where: SourceMap;
}

export type ParseResult =
  | { readonly ok: true; readonly scenarios: readonly ParsedScenario[] }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };
