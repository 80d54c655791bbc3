import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  memlockLimit,
  prepareAsRoot,
  rootReasons,
  rootSetup,
  runConfined,
  UNPRIVILEGED,
} from '../../src/cli/privilege.js';
import { buildKpageHelper } from '../../src/cli/kpage-helper.js';
import { HAVE_CC } from '../export/cc.js';
import { scenarioOf } from '../export/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'pinlab-privilege-'));
chmodSync(work, 0o711); // as pinlab real's own folder: the unprivileged user passes through it
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A scenario with these declarations and one thread that touches `buf`. */
function scenario(decls: string, mapping = 'map buf anon private'): Parameters<typeof rootReasons>[0] {
  const [s] = scenarioOf(`scenario s
intent: what a run needs.
source: pinlab's tests

${decls}
process P
  ${mapping}

thread T0 in P
  touch buf

exists (P:buf == "A") as c
`);
  if (s === undefined) throw new Error('no scenario');
  return s.scenario;
}

const FREE = { odirect: true, memlock: 8 * 2 ** 20, kpage: null };

describe('rootReasons', () => {
  it('needs nothing for anonymous memory, files with O_DIRECT and small registered buffers', () => {
    expect(rootReasons(scenario('file f ext4 = "A"\n'), FREE)).toEqual([]);
    expect(rootReasons(scenario(''), { ...FREE, memlock: 0 })).toEqual([]);
  });

  it('leaves loop devices and an ext4 image to pinlab: they are set up before the program runs', () => {
    expect(rootReasons(scenario('file d bdev = "A"\n'), FREE)).toEqual([]);
    expect(rootReasons(scenario('file f xfs = "A"\n'), { ...FREE, odirect: false })).toEqual([]);
    expect(rootSetup(scenario('file d bdev = "A"\n'), FREE)).toEqual([
      `a loop device for block-device file d, handed to uid ${UNPRIVILEGED.uid}`,
    ]);
    expect(rootSetup(scenario('file f xfs = "A"\n'), { ...FREE, odirect: false })).toEqual([
      "an ext4 image loop-mounted as the program's directory (the temporary directory has no O_DIRECT)",
    ]);
    expect(rootSetup(scenario('file f xfs = "A"\n'), FREE)).toEqual([]);
  });

  it('says why a program keeps root: THP checks without the helper, RLIMIT_MEMLOCK', () => {
    const thp = scenario('', 'map buf anon private page=thp');
    expect(rootReasons(thp, FREE)).toEqual([
      "telling a THP from small pages reads the run's /proc/PID/pagemap with CAP_SYS_ADMIN (PFNs) and /proc/kpageflags, and pinlab's helper for that is missing",
    ]);
    expect(rootReasons(thp, { ...FREE, kpage: '/helper' })).toEqual([]);
    expect(rootSetup(thp, { ...FREE, kpage: '/helper' })).toEqual([
      "its THP checks, answered by pinlab's root-owned helper for the program's own pages only",
    ]);
    const pinned = scenarioOf(`scenario s
intent: a registered 2 MiB buffer.
source: pinlab's tests

process P
  map buf anon private page=hugetlb-2M

thread T0 in P
  pin buf write longterm as h
  unpin h

exists (P:buf == "A") as c
`)[0]?.scenario;
    if (pinned === undefined) throw new Error('no scenario');
    expect(rootReasons(pinned, { ...FREE, memlock: 2 ** 20 })).toEqual([
      'io_uring charges its registered buffers to RLIMIT_MEMLOCK, and they exceed it',
    ]);
    expect(rootReasons(pinned, { ...FREE, memlock: 2 * 2 ** 20 })).toEqual([]);
  });
});

describe('memlockLimit', () => {
  it("reads the soft limit of /proc/self/limits' table", () => {
    const row = (soft: string): string =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax locked memory         ${soft}              8388608              bytes\n`;
    expect(memlockLimit(row('65536'))).toBe(65536);
    expect(memlockLimit(row('unlimited'))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('runConfined', () => {
  // A stand-in for an exported program: who runs it, where, with which limits and environment.
  function runProbe(name: string, asRoot: boolean): string[] {
    const dir = mkdtempSync(join(work, `${name}-`));
    const prog = join(dir, 'prog');
    writeFileSync(prog, '#!/bin/sh\nid -u; id -G; pwd; echo "$TMPDIR"; ulimit -c; ulimit -n; touch made\n', {
      mode: 0o700,
    });
    const r = runConfined(prog, [], dir, asRoot, 60_000);
    expect(r.stderr).toBe('');
    return [...r.stdout.trimEnd().split('\n'), join(dir, 'run')];
  }

  it('runs a program that needs no root as the unprivileged user, in its own directory, under limits', () => {
    const root = process.getuid?.() === 0;
    const [uid, groups, cwd, tmp, core, files, home] = runProbe('drop', false);
    expect(uid).toBe(String(root ? UNPRIVILEGED.uid : process.getuid?.()));
    if (root) expect(groups).toBe(String(UNPRIVILEGED.gid));
    expect([cwd, tmp]).toEqual([home, home]);
    expect([core, files]).toEqual(['0', '1024']);
  });

  it.skipIf(process.getuid?.() !== 0)('keeps root for a program that needs it, still under limits', () => {
    const [uid, , cwd, , core, , home] = runProbe('root', true);
    expect([uid, cwd, core]).toEqual(['0', home, '0']);
  });
});

const AS_ROOT = process.getuid?.() === 0 && spawnSync('losetup', ['--version']).status === 0;

describe('prepareAsRoot', () => {
  // What the unprivileged program finds: its uid, its directory's filesystem, and whether it can
  // write its loop device with O_DIRECT.
  const probe =
    '#!/bin/sh\nid -u; stat -f -c %T .; stat -c %u "$PINLAB_BDEV_0"; dd if=/dev/zero of="$PINLAB_BDEV_0" bs=4096 count=1 oflag=direct conv=notrunc 2>/dev/null && echo wrote\n';

  it.skipIf(!AS_ROOT)(
    AS_ROOT
      ? 'hands a loop device and an ext4 directory to the unprivileged program, and takes them back'
      : 'skipped: needs root and losetup',
    () => {
      const dir = mkdtempSync(join(work, 'prep-'));
      const s = scenario('file d bdev = "A"\nfile f ext4 = "B"\n');
      const host = { ...FREE, odirect: false };
      const prepared = prepareAsRoot(s, dir, host);
      if (typeof prepared === 'string') throw new Error(prepared);
      const dev = prepared.env.PINLAB_BDEV_0 ?? '';
      const owner = statSync(dev).uid;
      const prog = join(dir, 'prog');
      writeFileSync(prog, probe, { mode: 0o700 });
      try {
        const r = runConfined(prog, [], dir, false, 60_000, prepared);
        expect(r.stdout.trim().split('\n')).toEqual([
          String(UNPRIVILEGED.uid),
          'ext2/ext3',
          String(UNPRIVILEGED.uid),
          'wrote',
        ]);
        expect(owner).toBe(UNPRIVILEGED.uid);
      } finally {
        prepared.undo();
      }
      expect(spawnSync('losetup', ['-j', join(dir, 'bdev-0.img')], { encoding: 'utf8' }).stdout).toBe('');
      expect(spawnSync('mountpoint', ['-q', join(dir, 'ext4')]).status).not.toBe(0);
    },
  );

  it.skipIf(!AS_ROOT)(
    AS_ROOT ? 'undoes what it did when a step fails' : 'skipped: needs root and losetup',
    () => {
      const dir = mkdtempSync(join(work, 'fail-'));
      writeFileSync(join(dir, 'ext4'), 'in the way of the mount point');
      const r = prepareAsRoot(scenario('file d bdev = "A"\nfile f ext4 = "B"\n'), dir, {
        ...FREE,
        odirect: false,
      });
      expect(r).toMatch(/^setting up as root failed: /);
      expect(spawnSync('losetup', ['-j', join(dir, 'bdev-0.img')], { encoding: 'utf8' }).stdout).toBe('');
    },
  );
});

const THP = (() => {
  try {
    return !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  } catch {
    return false;
  }
})();
const HELPER = process.getuid?.() === 0 && HAVE_CC && THP;

describe('the THP helper', () => {
  // A program that asks about a THP of its own, a small page of its own, and an address it does not map.
  const probe = String.raw`#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
static int ask(uint64_t a)
{
	int8_t r = -2;
	int fd = atoi(getenv("PINLAB_KPAGE_FD"));
	if (send(fd, &a, 8, 0) != 8 || recv(fd, &r, 1, 0) != 1)
		return -3;
	return r;
}
int main(void)
{
	size_t len = 2 << 20;
	char *p = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a = (char *)(((uintptr_t)p + len - 1) & ~(uintptr_t)(len - 1));
	madvise(a, len, MADV_HUGEPAGE);
	a[0] = 1;
	char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s[0] = 1;
	printf("%d %d %d %d\n", (int)getuid(), ask((uintptr_t)a), ask((uintptr_t)s), ask(4096));
	return 0;
}
`;

  it.skipIf(!HELPER)(
    HELPER ? 'answers an unprivileged program about its own pages' : 'skipped: needs root, cc and THP',
    () => {
      const dir = mkdtempSync(join(work, 'kpage-'));
      const helper = buildKpageHelper(dir);
      if (typeof helper !== 'string') throw new Error(helper.why);
      writeFileSync(join(dir, 'probe.c'), probe);
      const cc = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', join(dir, 'probe'), join(dir, 'probe.c')]);
      expect(cc.status).toBe(0);
      const r = runConfined(join(dir, 'probe'), [], dir, false, 60_000, null, helper);
      // uid 65534; the THP (1, or 0 when memory was too fragmented for one); the small page 0;
      // an unmapped address -1
      expect(r.stdout.trim()).toMatch(new RegExp(`^${UNPRIVILEGED.uid} [01] 0 -1$`));
      expect(r.status).toBe(0);
    },
  );
});
