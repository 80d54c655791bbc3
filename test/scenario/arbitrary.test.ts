import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../src/model/ops/index.js';
import { scenarioArb } from './arbitrary.js';

describe('the scenario generator', () => {
  it('generates every operation the model has (a new operation needs a case in makeOp)', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(scenarioArb, { numRuns: 3000, seed: 18 })) {
      for (const a of s.program.actors) for (const op of a.ops) seen.add(op.op);
      for (const [, op] of s.program.setup) seen.add(op.op);
    }
    expect([...seen].sort()).toEqual([...OP_NAMES].sort());
  });
});
