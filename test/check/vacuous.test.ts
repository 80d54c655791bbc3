import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { parseScenarios, type ParsedScenario } from '../../src/scenario/index.js';
import { checkCase } from '../../src/selftests/scenario.js';
import { runSuite } from '../../src/suite/run.js';
import { profile } from '../model/harness.js';

function scenario(text: string): ParsedScenario {
  const r = parseScenarios(text, 'vacuous.pin');
  if (!r.ok || r.scenarios[0] === undefined)
    throw new Error(r.ok ? 'no scenario' : r.errors.map((e) => e.message).join('\n'));
  return r.scenarios[0];
}

/** A fixed-buffer write nobody completes (no `agent device`): every interleaving waits for it forever. */
const STUCK = `scenario stuck
intent: a write nobody completes
source: pinlab's tests
file f xfs = "Z"
process P
  map mem anon private
thread T0 in P
  write mem "B"
  uring register mem 0 -> reg
  uring write-fixed 0 iomap f[0] as w
  pread f[0] -> got
exists (T0:got != "B") as bad
expect bad: never on v6.12
`;

describe('a search that completes nothing judges nothing', () => {
  it('reports the deadlock as the reason, and the condition is no pass', () => {
    const s = scenario(STUCK);
    const r = check(s.scenario.program, s.scenario.conditions, profile('v6.12'));
    expect(r.finalStates).toBe(0);
    expect(r.deadlock.verdict).toBe('always');
    expect(r.conditions[0]?.vacuous).toBe(
      'no interleaving completes: every terminal state is a deadlock (1)',
    );
    const [row] = runSuite([s], [profile('v6.12')]);
    expect(row?.ok).toBe(false);
    expect(row?.reason).toMatch(/^no interleaving completes/);
    expect(row?.trace?.end).toBe('deadlock');
  });

  it('a selftest case (pinlab cow, gup-longterm) gets the reason instead of a verdict', () => {
    expect(checkCase(scenario(STUCK), profile('v6.12'))).toEqual({
      kind: 'vacuous',
      reason: 'no interleaving completes: every terminal state is a deadlock (1)',
    });
  });

  it('with the device agent the same scenario completes and passes', () => {
    const s = scenario(STUCK.replace('process P', 'agent device\nprocess P'));
    const r = check(s.scenario.program, s.scenario.conditions, profile('v6.12'));
    expect(r.conditions[0]?.vacuous).toBeNull();
    expect(runSuite([s], [profile('v6.12')])[0]?.ok).toBe(true);
  });

  it('a condition on registers no final state sets judges nothing either', () => {
    const s = scenario(`scenario unset
intent: the child exits before its read, so the read never sets its register
source: pinlab's tests
process P
  map mem anon private
process C forked
thread T0 in P
  fork C
thread T1 in C
  exit
  read mem -> seen
exists (T1:seen == "B") as bad
`);
    const r = check(s.scenario.program, s.scenario.conditions, profile('v6.12'));
    expect(r.finalStates).toBeGreaterThan(0);
    expect(r.conditions[0]?.verdict).toBe('never');
    expect(r.conditions[0]?.vacuous).toBe('no final state sets T1:seen');
  });
});
