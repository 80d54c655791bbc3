import type { Condition } from '../check/condition.js';
import type { Op } from '../model/ops/index.js';
import type { Program } from '../model/engine/program.js';
import type { ScenarioAst } from './ast.js';
import { kernelRank } from './kernels.js';
import { axisSuffix } from './printer.js';
import type { AxisValue, Expectation, ParsedScenario, SourceMap } from './types.js';
import { INVARIANT_NAMES, conditionNames } from './validate.js';

/** The id a file gives its scenarios: its name without the folder and `.pin`, or null when it has none. */
export function fileId(file: string): string | null {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.pin') && base.length > 4 ? base.slice(0, -4) : null;
}

/** A validated ScenarioAst as the Scenario the checker runs, and where its parts are. */
export function lower(ast: ScenarioAst, file: string, binding: readonly AxisValue[]): ParsedScenario {
  const base = ast.name?.name ?? '';
  const suffix = axisSuffix(binding);
  const program: Program = {
    files: ast.files.map((f) => ({
      name: f.name,
      fs: f.fs,
      pages: f.pages,
      ...(f.integrity === null ? {} : { integrity: f.integrity }),
      ...(f.stableWrites === null ? {} : { stableWrites: f.stableWrites }),
    })),
    processes: ast.processes.map((p) => ({
      name: p.name,
      mappings: p.mappings.map((m) => m.spec),
      forked: p.forked,
    })),
    setup: ast.setup.map((s) => [s.actor, s.stmt.op] as const satisfies readonly [number, Op]),
    actors: ast.threads.map((t) => ({ name: t.name, process: t.process, ops: t.ops.map((s) => s.op) })),
    // Left out when empty, so a program without them equals one built without the fields.
    ...(ast.agents.length === 0 ? {} : { agents: ast.agents.map((a) => a.kind) }),
    ...(ast.pipes.length === 0 ? {} : { pipes: ast.pipes.map((p) => p.name) }),
  };
  const names = conditionNames(ast);
  const conditions: Condition[] = ast.conditions.map((c, i) => ({
    name: names[i] ?? '',
    quantifier: c.quantifier,
    prop: c.prop,
  }));
  // Conditions in declaration order, then invariants by name.
  const rank = (c: string): number =>
    names.includes(c) ? names.indexOf(c) : names.length + INVARIANT_NAMES.indexOf(c);
  const expectations: Expectation[] = ast.expects
    .flatMap((e) => {
      const condition = e.condition?.name ?? names[0] ?? '';
      return e.items.map((it) => ({ condition, kernel: it.kernel, verdict: it.verdict }));
    })
    .sort((a, b) => rank(a.condition) - rank(b.condition) || kernelRank(a.kernel) - kernelRank(b.kernel));
  const where: SourceMap = {
    file,
    scenario: ast.name?.at ?? { line: 1, col: 1 },
    files: ast.files.map((f) => f.at),
    pipes: ast.pipes.map((p) => p.at),
    agents: ast.agents.map((a) => a.at),
    processes: ast.processes.map((p) => p.at),
    mappings: ast.processes.map((p) => p.mappings.map((m) => m.at)),
    setup: ast.setup.map((s) => s.stmt.at),
    actors: ast.threads.map((t) => t.at),
    ops: ast.threads.map((t) => t.ops.map((s) => s.at)),
    conditions: ast.conditions.map((c) => c.at),
  };
  return {
    scenario: {
      id: (fileId(file) ?? base) + suffix,
      name: base + suffix,
      intent: ast.intent?.text ?? '',
      source: ast.source?.text ?? '',
      axes: binding,
      program,
      conditions,
      expectations,
    },
    where,
  };
}
