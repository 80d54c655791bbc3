import { describe, expect, it } from 'vitest';
import { check, decodeToken, encodeToken, replay, worldKey } from '../../src/check/index.js';
import { evalProp } from '../../src/check/evaluate.js';
import { profile, runSchedule } from '../model/harness.js';
import { cve, cveLeak, putOfPin, writers, xWins } from './programs.js';

describe('replay tokens', () => {
  it('encode profile, overrides and the schedule compactly', () => {
    expect(
      encodeToken(profile('v6.4'), [
        { actor: 0, choice: 0 },
        { actor: 1, choice: 2 },
      ]),
    ).toBe('v6.4:0.1c2');
    expect(encodeToken(profile('v6.1'), [])).toBe('v6.1:');
    const p = profile('v6.1', { 'gup.pinZeroPage': 'not-counted' });
    const token = encodeToken(p, [{ actor: 1, choice: 0 }]);
    expect(token).toBe('v6.1[gup.pinZeroPage=not-counted]:1');
    expect(encodeToken(profile('v6.1', { 'gup.pinZeroPage': 'counted' }), [])).toBe('v6.1:'); // no change
    expect(decodeToken(token)).toEqual({
      kernel: 'v6.1',
      set: { 'gup.pinZeroPage': 'not-counted' },
      transitions: [{ actor: 1, choice: 0 }],
    });
  });

  it('round-trip: the replayed run is the trace, step for step, and ends in its final World', () => {
    const r = check(cve(), [cveLeak], profile('v5.4'));
    const trace = r.conditions[0]?.trace;
    expect(trace).toBeTruthy();
    const rep = replay(cve(), trace?.token ?? '');
    if (!rep.ok) throw new Error(rep.code);
    expect(rep.steps).toEqual(trace?.steps);
    expect(rep.quiescent).toBe(true);
    expect(evalProp(rep.world, cveLeak.prop)).toBe(true);
    expect(rep.profile.name).toBe('v5.4');
    expect(worldKey(rep.world)).toEqual(
      worldKey(runSchedule(profile('v5.4'), cve(), [0, 1, 1, 0, 1, 1]).world),
    );
    expect(rep.world).toEqual(runSchedule(profile('v5.4'), cve(), [0, 1, 1, 0, 1, 1]).world);
  });

  it('round-trips invariant traces, with the violation on the last step', () => {
    const r = check(putOfPin(), [], profile('v6.1'));
    const t = r.invariants.find((i) => i.name === 'counter-mismatch')?.trace;
    const rep = replay(putOfPin(), t?.token ?? '');
    if (!rep.ok) throw new Error(rep.code);
    expect(rep.steps.at(-1)?.violations.map((v) => v.invariant)).toEqual(['counter-mismatch']);
    expect(rep.quiescent).toBe(false);
  });

  it('round-trips with a policy override', () => {
    const p = profile('v6.1', { 'gup.pinZeroPage': 'not-counted' });
    const r = check(writers(), [xWins], p);
    const rep = replay(writers(), r.conditions[0]?.trace?.token ?? '');
    if (!rep.ok) throw new Error(rep.code);
    expect(rep.profile.policies).toEqual(p.policies);
  });

  it('bad tokens are errors as data', () => {
    expect(replay(cve(), 'garbage')).toMatchObject({ ok: false, code: 'bad-token' });
    expect(replay(cve(), 'v6.1:0..1')).toMatchObject({ ok: false, code: 'bad-token' });
    expect(replay(cve(), 'v6.1[x]:0')).toMatchObject({ ok: false, code: 'bad-token' });
    expect(replay(cve(), 'v9.9:0')).toMatchObject({
      ok: false,
      code: 'bad-profile',
      profile: { code: 'unknown-kernel' },
    });
    expect(replay(cve(), 'v6.1[no.such=1]:0')).toMatchObject({ ok: false, code: 'bad-profile' });
    expect(replay(cve(), 'v6.1:1')).toMatchObject({ ok: false, code: 'not-enabled', at: 0 });
    expect(replay(cve(), 'v6.1:0.1c1')).toMatchObject({ ok: false, code: 'not-enabled', at: 1 });
  });
});
