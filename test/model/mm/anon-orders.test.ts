import { describe, expect, it } from 'vitest';
import { anonOrderUnavailable } from '../../../src/model/mm/anon-orders.js';
import { KERNELS } from '../../../src/model/profile/profiles.js';
import { parseScenarios, unavailableOps } from '../../../src/scenario/index.js';
import { runSuite } from '../../../src/suite/run.js';
import { profile } from '../harness.js';

const MTHP = `scenario mthp
intent: a 64K anonymous THP
source: pinlab's tests
process P
  map buf anon private page=thp-pte
thread T0 in P
  write buf "B"
  read buf -> r
exists (T0:r == "B") as ok
expect ok: always on v6.12..
`;

describe('anonymous THP sizes per release (thp.anonOrders, alloc_anon_folio)', () => {
  it.each(KERNELS)('%s: a 64K anon THP exists only from v6.8; a PMD one always', (k) => {
    const p = profile(k).policies;
    expect(anonOrderUnavailable(p, true, 9)).toBeNull();
    expect(anonOrderUnavailable(p, true, 4) === null).toBe(p['thp.anonOrders'] === 'multi-size');
  });

  it('leaves file and base mappings to the other rules', () => {
    expect(anonOrderUnavailable(profile('v6.1').policies, false, 4)).toBeNull();
    expect(anonOrderUnavailable(profile('v6.1').policies, true, null)).toBeNull();
  });

  it('reports the scenario unavailable before v6.8, at the mapping, and checks it after', () => {
    const parsed = parseScenarios(MTHP, 'mthp.pin');
    if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
    const s = parsed.scenarios[0];
    const errs = unavailableOps(s, profile('v6.1').policies, 'v6.1');
    expect(errs.map((e) => `${e.file}:${e.line}:${e.col}`)).toEqual(['mthp.pin:5:3']);
    expect(errs.map((e) => e.message)).toEqual([
      'not on v6.1: an anonymous THP smaller than the PMD size (mTHP) does not exist before v6.8 ("mm: thp: support allocation of anonymous multi-size THP")',
    ]);
    const rows = runSuite([s], [profile('v6.1'), profile('v6.12')]);
    expect(rows.map((r) => [r.kernel, r.verdict, r.ok])).toEqual([
      ['v6.1', 'unavailable', null],
      ['v6.12', 'always', true],
    ]);
  });
});
