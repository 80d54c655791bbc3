import type { Prop } from '../check/condition.js';
import type { FsType } from '../model/include/fs.js';
import type { Op } from '../model/ops/index.js';
import type { AgentKind, MappingSpec } from '../model/engine/program.js';
import type { Pos } from './errors.js';
import type { OpRef } from './ops.js';
import type { ExpectedVerdict } from './types.js';

/**
 * What the parser builds for one combination of axis values: the scenario's parts in file order, names
 * resolved to indices where the model wants indices, each with its position. validate.ts checks it;
 * lower.ts turns it into a Scenario.
 */

export interface Named {
  readonly name: string;
  readonly at: Pos;
}

export interface Text {
  readonly text: string;
  readonly at: Pos;
}

export interface AxisDecl {
  readonly name: string;
  readonly at: Pos;
  readonly values: readonly Named[];
}

export interface FileDecl {
  readonly name: string;
  readonly at: Pos;
  readonly fs: FsType;
  readonly pages: readonly string[];
  readonly integrity: boolean | null;
  readonly stableWrites: boolean | null;
}

export interface AgentDecl {
  readonly kind: AgentKind;
  readonly at: Pos;
}

export interface MappingDecl {
  readonly spec: MappingSpec;
  readonly at: Pos;
  /** Where the `file NAME` operand is, for a file mapping. */
  readonly fileAt: Pos | null;
  readonly pageAt: Pos | null;
}

export interface ProcessDecl {
  readonly name: string;
  readonly at: Pos;
  readonly forked: boolean;
  readonly mappings: MappingDecl[];
}

export interface OpStmt {
  readonly op: Op;
  readonly at: Pos;
  readonly refs: readonly OpRef[];
}

export interface ThreadDecl {
  readonly name: string;
  readonly at: Pos;
  readonly process: number;
  readonly ops: OpStmt[];
}

export interface SetupStmt {
  readonly actor: number;
  readonly actorAt: Pos;
  readonly stmt: OpStmt;
}

/** A name used in a condition: `T1:seen` (a register), `P:buf` (memory), `disk:f[0]`. */
export type ExprRef =
  | { readonly kind: 'reg'; readonly actor: number; readonly reg: string; readonly at: Pos }
  | { readonly kind: 'mem'; readonly process: number; readonly buf: string; readonly at: Pos }
  | { readonly kind: 'disk'; readonly file: number; readonly page: number; readonly at: Pos };

export interface ConditionStmt {
  readonly quantifier: 'exists' | 'forall';
  readonly prop: Prop;
  /** The `as NAME`, or null: the condition is then named by its text. */
  readonly name: Named | null;
  readonly at: Pos;
  readonly refs: readonly ExprRef[];
}

export interface ExpectItem {
  readonly kernel: string;
  readonly verdict: ExpectedVerdict;
  readonly at: Pos;
}

export interface ExpectStmt {
  /** The condition's name, or null for the only condition. */
  readonly condition: Named | null;
  readonly at: Pos;
  readonly items: readonly ExpectItem[];
}

export interface ScenarioAst {
  name: Named | null;
  intent: Text | null;
  source: Text | null;
  readonly axes: AxisDecl[];
  readonly files: FileDecl[];
  readonly pipes: Named[];
  readonly agents: AgentDecl[];
  readonly processes: ProcessDecl[];
  readonly setup: SetupStmt[];
  readonly threads: ThreadDecl[];
  readonly conditions: ConditionStmt[];
  readonly expects: ExpectStmt[];
}
