import type { Pos } from './errors.js';
import type { ExpectedVerdict, ParsedScenario, Scenario } from './types.js';

/** The verdict a scenario expects of a condition on a kernel profile, or null when it states none. */
export function expectedVerdict(s: Scenario, condition: string, kernel: string): ExpectedVerdict | null {
  return s.expectations.find((e) => e.condition === condition && e.kernel === kernel)?.verdict ?? null;
}

/**
 * Where an actor's operation is written: `pc` indexes its operations, or is -1 for its setup operations
 * (the first of them, as check's UnavailableOp does not say which).
 */
export function opPosition(parsed: ParsedScenario, actor: number, pc: number): Pos | null {
  const { scenario, where } = parsed;
  if (pc >= 0) return where.ops[actor]?.[pc] ?? null;
  const i = scenario.program.setup.findIndex(([a]) => a === actor);
  return i < 0 ? null : (where.setup[i] ?? null);
}
