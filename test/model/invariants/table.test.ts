import { describe, expect, it } from 'vitest';
import {
  INVARIANT_NAMES,
  INVARIANT_TABLE,
  INVARIANTS,
  invariantNames,
  judgeStep,
  type Invariant,
  type InvariantInput,
} from '../../../src/model/invariants/index.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import type { ModelEvent } from '../../../src/model/core/events.js';
import { op, profile, program, anon } from '../harness.js';

describe('the invariant table', () => {
  it('files each invariant under its own name, in the order checks report them', () => {
    for (const n of INVARIANT_NAMES) expect(INVARIANT_TABLE[n].name).toBe(n);
    expect(INVARIANTS.map((i) => i.name)).toEqual(INVARIANT_NAMES);
  });

  it('counter-mismatch and use-after-free end a path; the others are flags', () => {
    const errors = INVARIANTS.filter((i) => i.severity === 'error').map((i) => i.name);
    expect(errors.sort()).toEqual(['counter-mismatch', 'use-after-free']);
  });

  it('names a list for a worker only when every invariant is the table’s own', () => {
    expect(invariantNames(INVARIANTS)).toEqual(INVARIANT_NAMES);
    expect(invariantNames([INVARIANT_TABLE['lost-write']])).toEqual(['lost-write']);
    const copy: Invariant = { ...INVARIANT_TABLE['lost-write'] };
    expect(invariantNames([copy])).toBeNull();
  });
});

describe('judgeStep', () => {
  const p = profile('v6.1');
  const prog = program([anon('buf')], [{ process: 0, ops: [op.write('buf', 'X')] }]);
  const input = (events: readonly ModelEvent[]): InvariantInput => ({
    program: prog,
    world: instantiate(prog, p.policies),
    events,
    quiescent: () => false,
  });

  it('is null for a clean step', () => {
    expect(judgeStep(INVARIANTS, input([]))).toBeNull();
  });

  it('reports every violation of a step, each with its code and the invariant that found it', () => {
    const found = judgeStep(
      INVARIANTS,
      input([
        { type: 'counter-mismatch', folio: 0, what: 'unpin-of-ref' },
        { type: 'use-after-free', folio: 1, access: 'dma-write' },
        { type: 'counter-mismatch', folio: 2, what: 'put-of-pin' },
      ]),
    );
    const at = (name: string): number => INVARIANTS.findIndex((i) => i.name === name);
    expect(found).toEqual([
      {
        at: at('use-after-free'),
        violation: { code: 'access-after-free', invariant: 'use-after-free', folios: [1], what: 'dma-write' },
      },
      {
        at: at('counter-mismatch'),
        violation: { code: 'unpin-of-ref', invariant: 'counter-mismatch', folios: [0], what: 'unpin-of-ref' },
      },
      {
        at: at('counter-mismatch'),
        violation: { code: 'put-of-pin', invariant: 'counter-mismatch', folios: [2], what: 'put-of-pin' },
      },
    ]);
  });
});
