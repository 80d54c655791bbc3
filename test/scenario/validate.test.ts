import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kernelProfile, isProfileError, profileNames } from '../../src/model/profile/profiles.js';
import { opDef } from '../../src/model/ops/index.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import { formatError, unavailableOps } from '../../src/scenario/index.js';
import { scenarioArb } from './arbitrary.js';
import { parseErrors, parseOk, withOps } from './helpers.js';

describe('validate', () => {
  it('accepts a handle created in the setup and used by the thread', () => {
    const text = withOps('put h').replace('thread T0 in P', 'setup\n  T0: get buf as h\nthread T0 in P');
    expect(parseOk(text)[0]?.scenario.program.setup).toEqual([
      [0, { op: 'gup', buf: 'buf', mode: 'get', flags: 0, fast: false, as: 'h' }],
    ]);
  });

  it('refuses setup operations for a thread of a forked process', () => {
    const text = withOps('fork C', 'thread T1 in C\n  exit\nsetup\n  T1: touch buf', 'process C forked');
    expect(parseErrors(text)).toEqual([
      'test.pin:15:3: setup runs before any fork: thread T1 is in forked process C',
    ]);
  });

  it.each([
    ['fsync f', "'fsync' cannot run in setup: it takes several steps"],
    ['dio read iomap f[0] into buf as r', "'dio' cannot run in setup: it takes several steps"],
    ['exit', "'exit' cannot run in setup: the thread's process would be gone"],
    ['sg-io read f[0] into buf as r', "'sg-io' cannot run in setup: it takes several steps"],
  ])('refuses %s in setup, which the checker could not run', (op, message) => {
    const text = withOps('touch buf').replace('thread T0 in P', `setup\n  T0: ${op}\nthread T0 in P`);
    expect(parseErrors(text)).toEqual([expect.stringContaining(`test.pin:10:7: ${message}`)]);
  });

  it('accepts only setup operations that finish in one step on every profile', () => {
    const profiles = profileNames().map((n) => kernelProfile(n));
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const p of profiles) {
          if (isProfileError(p)) continue;
          const runs = s.program.setup.every(([, op]) => opDef(op).unavailable(p.policies, op) === null);
          if (runs) instantiate(s.program, p.policies);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses mappings on a forked process and hugetlb pages on a non-hugetlbfs file', () => {
    const text = withOps(
      'fork C',
      '',
      'process C forked\n  map x anon private\n  map y file f shared page=hugetlb-2M',
    );
    expect(parseErrors(text)).toEqual([
      "test.pin:9:3: process C is forked: it inherits its parent's mappings and declares none",
      'test.pin:10:28: a hugetlb mapping of a file needs a hugetlbfs file (memfd MFD_HUGETLB), not ext4',
    ]);
  });

  it('refuses a THP on a file mapping, which the model would have mapped with a base page', () => {
    const text = withOps('read fb -> r', '', '  map y file f shared page=thp');
    expect(parseErrors(text)).toEqual([
      'test.pin:8:28: pinlab models no large page-cache folios: a file mapping (ext4) takes base pages, not thp',
    ]);
  });

  it('checks that await names an asynchronous I/O of the same thread', () => {
    expect(parseErrors(withOps('dio read iomap f[0] into buf as r\nawait r'))).toEqual([
      "test.pin:11:9: 'r' names no asynchronous I/O started earlier by thread T0",
    ]);
  });

  it('asks which condition an unnamed expectation is about when there are several', () => {
    const text = withOps('read buf -> r', 'exists (T0:r == "A") as a\nexpect: never on all');
    expect(parseErrors(text)).toEqual([
      'test.pin:13:1: name the condition this expectation is about: the scenario has 2',
    ]);
  });
});

describe('unavailableOps', () => {
  it('points at each operation a profile cannot run', () => {
    const [parsed] = parseOk(withOps('write buf "B"\npin buf as h\nunpin h'));
    const v419 = kernelProfile('v4.19');
    const v66 = kernelProfile('v6.6');
    if (isProfileError(v419) || isProfileError(v66) || !parsed) return expect.fail('setup');
    expect(unavailableOps(parsed, v66.policies, 'v6.6')).toEqual([]);
    expect(unavailableOps(parsed, v419.policies, 'v4.19').map(formatError)).toEqual([
      'test.pin:11:3: not on v4.19: pin_user_pages() (FOLL_PIN) does not exist in this release',
    ]);
  });
});
