import { describe, expect, it } from 'vitest';
import { POLICIES, POLICY_NAMES } from '../../../src/model/profile/policies/index.js';
import { KERNELS, RELEASES, isProfileError, kernelProfile } from '../../../src/model/profile/profiles.js';
import { STABLE_SERIES } from '../../../src/model/profile/stable.js';
import { compareReleases } from '../../../src/model/profile/release.js';

describe('kernelProfile', () => {
  it('refuses an unknown release, listing the known ones', () => {
    const p = kernelProfile('v5.3');
    expect(isProfileError(p) && p.code).toBe('unknown-kernel');
    expect(isProfileError(p) && p.known).toContain('v5.4');
  });
  it('refuses a name that is not a release', () => {
    expect(isProfileError(kernelProfile('linux'))).toBe(true);
  });
  it('refuses an unknown policy in --set', () => {
    const p = kernelProfile('v6.6', { 'cow.nonsense': 'on' });
    expect(isProfileError(p) && p.code).toBe('unknown-policy');
  });
  it('refuses a value the policy does not have', () => {
    const p = kernelProfile('v6.6', { 'cow.reuse': 'sometimes' });
    expect(isProfileError(p) && p).toMatchObject({ code: 'bad-policy-value', name: 'cow.reuse' });
  });
  it('applies a --set override and names the profile after it', () => {
    const p = kernelProfile('v6.6', { 'cow.reuse': 'mapcount' });
    if (isProfileError(p)) throw new Error(p.code);
    expect(p.policies['cow.reuse']).toBe('mapcount');
    expect(p.name).toBe('v6.6[cow.reuse=mapcount]');
  });
  it.each(RELEASES)('gives every policy one of its values in %s', (r) => {
    const p = kernelProfile(r);
    if (isProfileError(p)) throw new Error(p.code);
    for (const name of POLICY_NAMES) {
      const values: readonly string[] = POLICIES[name].values;
      expect(values).toContain(p.policies[name]);
    }
  });
  it('takes each policy value from the newest change not after the release', () => {
    const at = (r: string) => {
      const p = kernelProfile(r);
      if (isProfileError(p)) throw new Error(p.code);
      return p.policies;
    };
    expect([at('v5.8')['cow.reuse'], at('v5.10')['cow.reuse'], at('v5.19')['cow.reuse']]).toEqual([
      'mapcount',
      'refcount',
      'anon-exclusive',
    ]);
    expect([at('v5.8')['gup.forceCowBreak'], at('v5.10')['gup.forceCowBreak']]).toEqual(['on', 'off']);
  });
});

describe('POLICIES', () => {
  it.each(POLICY_NAMES)(
    '%s: history is ordered, starts at the oldest release, and uses known values',
    (name) => {
      const def = POLICIES[name];
      const values: readonly string[] = def.values;
      expect(def.history[0]?.since).toBe(RELEASES[0]);
      for (const [i, change] of def.history.entries()) {
        expect(values).toContain(change.value);
        expect(change.commit.length).toBeGreaterThan(0);
        const prev = def.history[i - 1];
        if (prev) expect(compareReleases(prev.since, change.since)).toBeLessThan(0);
      }
    },
  );
});

describe('RELEASES', () => {
  it('is ordered oldest first', () => {
    for (let i = 1; i < RELEASES.length; i++) {
      const [a, b] = [RELEASES[i - 1], RELEASES[i]];
      if (a && b) expect(compareReleases(a, b)).toBeLessThan(0);
    }
  });
});

describe('stable series', () => {
  const policies = (name: string): Readonly<Record<string, string>> => {
    const p = kernelProfile(name);
    if (isProfileError(p)) throw new Error(`${name}: ${p.code}`);
    return p.policies;
  };

  it.each(STABLE_SERIES.map((s) => [s.name, s] as const))(
    '%s: its release plus its backports, each changing a value the release had',
    (name, s) => {
      const base = policies(s.base);
      const series = policies(name);
      const changed = POLICY_NAMES.filter((n) => base[n] !== series[n]);
      expect(changed).toEqual(POLICY_NAMES.filter((n) => s.backports.some((b) => b.policy === n)));
      for (const b of s.backports) {
        expect(series[b.policy]).toBe(b.value);
        expect(b.commit).toMatch(/upstream|stable-only/);
        expect(b.evidence).toMatch(/^[\w/.-]+\.[ch]:\d+/);
      }
      const p = kernelProfile(name);
      expect(!isProfileError(p) && p.release).toBe(s.base);
      expect(s.at.startsWith(`${s.base.slice(1)}.`)).toBe(true);
    },
  );

  it('sorts each series right after its release', () => {
    expect(KERNELS.filter((k) => !(RELEASES as readonly string[]).includes(k))).toEqual(
      STABLE_SERIES.map((s) => s.name),
    );
    for (const s of STABLE_SERIES) expect(KERNELS.indexOf(s.name)).toBe(KERNELS.indexOf(s.base) + 1);
  });

  it('takes --set overrides on a series like on a release', () => {
    const p = kernelProfile('v6.12.y', { 'btrfs.dioWriteCsum': 'direct' });
    if (isProfileError(p)) throw new Error(p.code);
    expect(p.name).toBe('v6.12.y[btrfs.dioWriteCsum=direct]');
    expect(p.policies['btrfs.dioWriteCsum']).toBe('direct');
  });
});
