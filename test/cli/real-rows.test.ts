import { describe, expect, it } from 'vitest';
import { compareRun } from '../../src/cli/real-rows.js';
import { parseScenarios } from '../../src/scenario/index.js';

const SOURCE = `scenario two-conds
intent: two conditions, so a program's output can lose the second
source: pinlab's tests
process P
  map buf anon private
thread T0 in P
  write buf "A"
  read buf -> x
exists (T0:x == "A") as wrote
exists (T0:x == "B") as other
`;

function scenario() {
  const parsed = parseScenarios(SOURCE, 't.pin');
  if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
  return parsed.scenarios[0];
}

describe('compareRun', () => {
  it('compares each KTAP line with the model', () => {
    const out = [
      'TAP version 13',
      '1..2',
      'not ok 1 wrote # seen in 5/5 runs',
      'ok 2 other # seen in 0/5 runs',
    ];
    const rows = compareRun(scenario(), [], out.join('\n'), null);
    expect(rows.map((r) => [r.condition, r.kernel])).toEqual([
      ['wrote', '5/5'],
      ['other', '0/5'],
    ]);
  });

  it("names what the program printed last when a condition's line is missing", () => {
    const out = ['TAP version 13', '1..2', 'not ok 1 wrote # seen in 5/5 runs'].join('\n');
    const rows = compareRun(scenario(), [], out, null);
    expect(rows[1]).toMatchObject({
      condition: 'other',
      outcome: 'error',
      why: 'no KTAP line for it (the program\'s last output: "1..2 | not ok 1 wrote # seen in 5/5 runs")',
    });
    expect(compareRun(scenario(), [], '', null)[0]?.why).toBe(
      "no KTAP line for it (the program's last output: none)",
    );
  });

  it('reports a failed program once, with its reason', () => {
    const rows = compareRun(scenario(), [], 'Bail out! mmap: ENOMEM', null);
    expect(rows).toEqual([
      expect.objectContaining({ condition: '-', outcome: 'error', why: 'the program failed: mmap: ENOMEM' }),
    ]);
  });
});
