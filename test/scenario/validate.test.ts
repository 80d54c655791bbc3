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

  it('refuses an order-1 anonymous THP, which THP_ORDERS_ALL_ANON leaves out on every release', () => {
    const text = withOps('read y -> r', '', '  map y anon private page=thp-8K');
    expect(parseErrors(text)).toEqual([
      'test.pin:8:27: an anonymous THP is at least 16K (order 2): the kernel allocates no thp-8K one',
    ]);
    expect(parseOk(withOps('read y -> r', '', '  map y anon private page=thp-16K'))).toHaveLength(1);
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

describe('operations the model cannot honour on a file (issue 23: refused, never approximated)', () => {
  const decls = 'file d bdev = "D"\nfile s shmem = "A"\nfile n nfs = "A"';
  it.each([
    [
      'dio read blkdev f[0] into buf as r',
      "the kernel runs ext4's direct I/O through 'iomap' or 'legacy', not 'blkdev' (file f)",
    ],
    [
      'dio read iomap d[0] into buf as r',
      "the kernel runs bdev's direct I/O through 'blkdev' or 'blkdev-multi' or 'blkdev-split', not 'iomap' (file d)",
    ],
    [
      'dio read nfs f[0] into buf as r',
      "the kernel runs ext4's direct I/O through 'iomap' or 'legacy', not 'nfs' (file f)",
    ],
    [
      'uring write-fixed 0 legacy d[0] as r',
      "the kernel runs bdev's direct I/O through 'blkdev' or 'blkdev-multi' or 'blkdev-split', not 'legacy' (file d)",
    ],
    [
      'dio read iomap s[0] into buf as r',
      'pinlab models no direct I/O on shmem: s has no device to do it to',
    ],
    [
      'kalloc page as p\nloop read s[0] into p as r',
      'the loop device does direct I/O to its backing file, and pinlab models none on shmem',
    ],
    [
      'reflink n[0] -> n[1] as r',
      "FICLONERANGE on NFS is the server's CLONE operation (nfs42_remap_file_range): pinlab models no server that clones",
    ],
  ])('refuses %s at the operation', (ops, message) => {
    const errs = parseErrors(withOps(ops, '', decls));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^test\.pin:\d+:3: /);
    expect(errs[0]).toContain(message);
  });
  it('accepts each path on a filesystem that takes it in some release', () => {
    const ops = [
      'dio read legacy f[0] into buf as a',
      'dio read iomap f[0] into buf as b',
      'dio read blkdev d[0] into buf as c',
    ];
    expect(parseOk(withOps(ops.join('\n'), '', decls))).toHaveLength(1);
  });
});

describe('unavailableOps', () => {
  it.each([
    [
      'v5.4',
      'iomap',
      "not on v5.4: ext4 direct I/O runs fs/direct-io.c before v5.5 (policy ext4.dioPath): write 'legacy', not 'iomap'",
    ],
    [
      'v5.10',
      'legacy',
      "not on v5.10: ext4 direct I/O runs iomap_dio_rw from v5.5 (policy ext4.dioPath): write 'iomap', not 'legacy'",
    ],
    ['v5.4', 'legacy', null],
    ['v6.12', 'iomap', null],
  ])(
    '%s: ext4 direct I/O through %s (policy ext4.dioPath, "ext4: introduce direct I/O read using iomap infrastructure", v5.5)',
    (k, path, message) => {
      const [parsed] = parseOk(withOps(`dio read ${path} iovec f[0] into buf as r`));
      const p = kernelProfile(k);
      if (isProfileError(p) || !parsed) return expect.fail('setup');
      expect(unavailableOps(parsed, p.policies, k).map((e) => e.message)).toEqual(
        message === null ? [] : [message],
      );
    },
  );
  it.each([
    [
      'v5.8',
      "not on v5.8: btrfs direct I/O runs fs/direct-io.c before v5.10 (policy btrfs.dioPath): write 'legacy', not 'iomap'",
    ],
    ['v5.10', null],
    ['v7.2', null],
  ])(
    '%s: btrfs direct I/O through iomap (policy btrfs.dioPath, "btrfs: switch to iomap for direct IO", v5.10)',
    (k, message) => {
      const [parsed] = parseOk(withOps('dio read iomap iovec b[0] into buf as r', '', 'file b btrfs = "D"'));
      const p = kernelProfile(k);
      if (isProfileError(p) || !parsed) return expect.fail('setup');
      expect(unavailableOps(parsed, p.policies, k).map((e) => e.message)).toEqual(
        message === null ? [] : [message],
      );
    },
  );

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
