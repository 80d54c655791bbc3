import { describe, expect, it } from 'vitest';
import { gatesOf, schedules, type StepOrder } from '../../src/export/index.js';

function trace(...steps: [number, number][]): StepOrder {
  return steps.map(([actor, pc]) => ({ actor, pc }));
}

describe('gatesOf', () => {
  it('makes each op wait for what the trace ran before it in the other threads', () => {
    // T0 op 1 takes two steps, and T1's op 1 runs between them; actor 2 is a kernel agent.
    const t = trace([0, 0], [1, 0], [0, 1], [1, 1], [0, 1], [2, 0], [1, 2]);
    expect(gatesOf(t, 2)).toEqual([
      { actor: 1, op: 0, other: 0, finished: true, count: 1 },
      { actor: 0, op: 1, other: 1, finished: true, count: 1 },
      { actor: 1, op: 1, other: 0, finished: false, count: 2 },
      { actor: 1, op: 2, other: 0, finished: true, count: 2 },
    ]);
  });

  it('places no gate a weaker earlier one already implies', () => {
    const t = trace([0, 0], [0, 1], [1, 0], [1, 1]);
    expect(gatesOf(t, 2)).toEqual([{ actor: 1, op: 0, other: 0, finished: true, count: 2 }]);
  });
});

describe('schedules', () => {
  it('keeps one schedule per distinct gate set, and none for a single thread', () => {
    const a = trace([0, 0], [1, 0]);
    const b = trace([1, 0], [0, 0]);
    const out = schedules(
      [
        { steps: a, from: 'a' },
        { steps: a, from: 'a again' },
        { steps: b, from: 'b' },
        { steps: trace([0, 0], [0, 1]), from: 'one thread' },
      ],
      2,
    );
    expect(out.map((s) => s.from)).toEqual(['a', 'b']);
  });
});
