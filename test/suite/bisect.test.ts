import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin, smallestSets, type Change, type Outcome, type Probe } from '../../src/suite/bisect.js';

const has = (subset: readonly string[], ...xs: string[]): boolean => xs.every((x) => subset.includes(x));

/** A test function that records every subset it is asked about. */
function recorded(f: (s: readonly string[]) => Outcome): {
  test: (s: readonly string[]) => Outcome;
  asked: string[];
} {
  const asked: string[] = [];
  return {
    test: (s) => {
      asked.push([...s].sort().join(','));
      return f(s);
    },
    asked,
  };
}

describe('ddmin over a fake verdict function', () => {
  const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it('names the one change that flips the outcome', () => {
    expect(ddmin(all, (s) => (has(s, 'e') ? 'flipped' : 'kept'))).toEqual(['e']);
  });

  it('names two changes needed together', () => {
    expect(ddmin(all, (s) => (has(s, 'b', 'g') ? 'flipped' : 'kept'))).toEqual(['b', 'g']);
  });

  it('treats an unresolved mixture as not flipped: the change that makes it consistent is kept', () => {
    // 'c' flips it, but without 'f' the mixture is inconsistent (as pins released by put are).
    const test = (s: readonly string[]): Outcome =>
      !has(s, 'c') ? 'kept' : has(s, 'f') ? 'flipped' : 'unresolved';
    expect(ddmin(all, test)).toEqual(['c', 'f']);
  });

  it('returns null when applying every change does not flip it', () => {
    expect(ddmin(all, () => 'kept')).toBeNull();
  });

  it('asks about each subset at most once', () => {
    const r = recorded((s) => (has(s, 'a', 'h') ? 'flipped' : 'kept'));
    ddmin(all, r.test);
    expect(new Set(r.asked).size).toBe(r.asked.length);
  });

  it('finds exactly the needed changes, whichever they are (monotone outcomes)', () => {
    fc.assert(
      fc.property(fc.subarray(all, { minLength: 1 }), (needed) => {
        expect(ddmin(all, (s) => (has(s, ...needed) ? 'flipped' : 'kept'))).toEqual(needed);
      }),
    );
  });

  it('returns a 1-minimal set whatever the outcomes: it flips, and no one change can be left out', () => {
    fc.assert(
      fc.property(fc.func(fc.constantFrom<Outcome>('flipped', 'kept', 'unresolved')), (f) => {
        const test = (s: readonly string[]): Outcome =>
          s.length === all.length ? 'flipped' : f(s.join(','));
        const out = ddmin(all, test);
        expect(out).not.toBeNull();
        const found = out ?? [];
        expect(test(found)).toBe('flipped');
        if (found.length > 1)
          for (const x of found) expect(test(found.filter((y) => y !== x))).not.toBe('flipped');
      }),
    );
  });
});

const c = (policy: string, value: string): Change => ({ policy, value });
const key = (set: readonly Change[]): string =>
  set
    .map((x) => `${x.policy}=${x.value}`)
    .sort()
    .join(',');
const valueOf = (set: readonly Change[], policy: string): string =>
  set.find((x) => x.policy === policy)?.value ?? '0';

describe('smallestSets over a fake model', () => {
  // Three policies, each at '0' on the kernel; the outcome is prevented by a=1 with b=1, or by c=2.
  const candidates = [c('a', '1'), c('a', '2'), c('b', '1'), c('c', '1'), c('c', '2')];
  const goal = (set: readonly Change[]): boolean =>
    (valueOf(set, 'a') === '1' && valueOf(set, 'b') === '1') || valueOf(set, 'c') === '2';
  const readsEverything: Probe['reads'] = new Set(['a', 'b', 'c']);

  it('finds every smallest set, smallest first, one value per policy, no superset of a found set', () => {
    const asked: string[] = [];
    const r = smallestSets(candidates, 2, (set) => {
      asked.push(key(set));
      expect(new Set(set.map((x) => x.policy)).size).toBe(set.length);
      return { hit: goal(set), reads: readsEverything };
    });
    expect(r.sets.map(key)).toEqual(['c=2', 'a=1,b=1']);
    expect(asked).not.toContain('a=1,c=2');
    expect(r.tested).toBe(asked.length);
  });

  it('stays within the bound: a goal of three values is not found with at most two', () => {
    const three = (set: readonly Change[]): Probe => ({
      hit: ['a', 'b', 'c'].every((p) => valueOf(set, p) === '1'),
      reads: readsEverything,
    });
    expect(smallestSets(candidates, 2, three).sets).toEqual([]);
    expect(smallestSets(candidates, 3, three).sets.map(key)).toEqual(['a=1,b=1,c=1']);
  });

  it('skips a set whose extra value sets a policy the smaller run did not read, and finds the same sets', () => {
    // The model reads a always, b only when a=1, and c never: no value of c can matter.
    const reads = (set: readonly Change[]): Set<string> =>
      new Set(valueOf(set, 'a') === '1' ? ['a', 'b'] : ['a']);
    const onlyAB = (set: readonly Change[]): boolean =>
      valueOf(set, 'a') === '1' && valueOf(set, 'b') === '1';
    const asked: string[] = [];
    const pruned = smallestSets(candidates, 2, (set) => {
      asked.push(key(set));
      return { hit: onlyAB(set), reads: reads(set) };
    });
    const full = smallestSets(candidates, 2, (set) => ({ hit: onlyAB(set), reads: readsEverything }));
    expect(pruned.sets).toEqual(full.sets);
    expect(pruned.sets.map(key)).toEqual(['a=1,b=1']);
    expect(asked.filter((k) => k.includes('c='))).toEqual([]);
    expect(asked).not.toContain('b=1');
    expect(pruned.tested).toBeLessThan(full.tested);
  });

  it('answers the empty set when the kernel already reaches the goal', () => {
    expect(smallestSets(candidates, 2, () => ({ hit: true, reads: readsEverything })).sets).toEqual([[]]);
  });
});
