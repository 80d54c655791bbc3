import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cProgram, kernelActorNeeds, refusals } from '../../src/export/index.js';
import { PINLAB_GRAB_UAPI } from '../../src/export/kmod-uapi.js';
import { HAVE_CC, syntaxCheck } from './cc.js';
import { scenarioOf } from './fixtures.js';

const KMOD_DIR = join(import.meta.dirname, '..', '..', 'lab', 'kmod');

const KERNEL_OPS = `scenario kernel-ops
intent: Every operation export-c hands to the pinlab_grab module.
source: pinlab's export tests

file b bdev = "D"
agent device

process P
  map buf anon private

thread T0 in P
  kalloc page as p
  kalloc vmalloc as v
  dio read blkdev async bvec b[0] into p as r
  dio read blkdev kvec b[0] into v as s
  await r
  peek p -> seen
  put p
  put v
  get buf write force fast as g
  peek g -> gs
  put g
  pin buf as h
  unpin h dirty
  pin buf write nofault as w
  unpin w

exists (T0:seen != "D") as missing
`;

const [kernel] = scenarioOf(KERNEL_OPS);
if (kernel === undefined) throw new Error('no scenario');
const text = cProgram(kernel.scenario, { runs: 3, schedules: [] });

describe('export-c with the kernel-side actor', () => {
  it('exports every op the module runs, and nothing a process could hold itself', () => {
    expect(refusals(kernel.scenario)).toEqual([]);
    expect(kernelActorNeeds(kernel.scenario).map((n) => n.where)).toEqual([
      'thread T0: kalloc page as p',
      'thread T0: kalloc vmalloc as v',
      'thread T0: dio read blkdev async bvec b[0] into p as r',
      'thread T0: dio read blkdev kvec b[0] into v as s',
      'thread T0: get buf fast write force as g',
      'thread T0: pin buf as h',
      'thread T0: pin buf write nofault as w',
    ]);
  });

  it.each([
    ['kalloc page', 'op_kalloc(0, PINLAB_ALLOC_PAGE);'],
    ['kalloc vmalloc', 'op_kalloc(1, PINLAB_VMALLOC);'],
    ['async bvec dio', 'op_kdio(&files[0], 0, 0, PINLAB_KDIO_BVEC | PINLAB_KDIO_ASYNC, S->reg[0], 0);'],
    ['sync kvec dio', 'op_kdio(&files[0], 0, 1, 0, S->reg[1], 0);'],
    ['await of a kernel dio', 'op_kawait(0, S->reg[0]);'],
    ['peek of kernel memory', 'op_kpeek(0, S->reg[2]);'],
    ['put of kernel memory', 'op_krelease(1, PINLAB_PUT);'],
    [
      'get with flags',
      'op_kgrab(2, &bufs[0], PINLAB_MODE_GET | PINLAB_MODE_FAST, PINLAB_FOLL_WRITE | PINLAB_FOLL_FORCE, S->reg[3]);',
    ],
    ['peek of a grab', 'op_kpeek(2, S->reg[4]);'],
    ['read-only pin', 'op_kgrab(3, &bufs[0], PINLAB_MODE_PIN, 0, S->reg[5]);'],
    ['unpin dirty', 'op_krelease(3, PINLAB_UNPIN_DIRTY);'],
    [
      'pin nofault',
      'op_kgrab(4, &bufs[0], PINLAB_MODE_PIN, PINLAB_FOLL_WRITE | PINLAB_FOLL_NOFAULT, S->reg[6]);',
    ],
    ['unpin', 'op_krelease(4, PINLAB_UNPIN);'],
  ])('translates %s to the module', (_, statement) => {
    expect(text).toContain(statement);
  });

  it('skips the program where the module is missing, naming the first op that needs it', () => {
    expect(text).toContain(
      '\tneed_kmod("thread T0: kalloc page as p: vmalloc() and alloc_page(): only a kernel caller has this: a process cannot make the kernel do it");',
    );
    expect(text).not.toContain('need_uring();');
    expect(text).toMatch(/static void run_once\(int run\)\n\{\n\tkmod_open\(\);/);
    expect(text).toMatch(/\tkmod_close\(\);\n\tremove_files\(\);/);
  });

  it('leaves the module out of a program that does not need it', () => {
    const [plain] = scenarioOf(
      KERNEL_OPS.replace(
        /thread T0 in P[^]*?\n\n/,
        'thread T0 in P\n  get buf as g\n  peek g -> seen\n  put g\n\n',
      ),
    );
    if (plain === undefined) throw new Error('no scenario');
    const c = cProgram(plain.scenario, { runs: 3, schedules: [] });
    expect(c).toContain('op_get(&handles[0], &bufs[0], S->reg[0]);');
    expect(c).not.toContain('pinlab_grab');
  });

  it.skipIf(!HAVE_CC)('compiles without a warning', () => {
    expect(syntaxCheck(text)).toBe('');
  });
});

describe('the pinlab_grab module source', () => {
  const header = readFileSync(join(KMOD_DIR, 'pinlab_grab_uapi.h'), 'utf8');
  const module = readFileSync(join(KMOD_DIR, 'pinlab_grab.c'), 'utf8');

  it('has the ioctl interface the exported programs carry, byte for byte', () => {
    expect(header).toBe(PINLAB_GRAB_UAPI);
  });

  it('handles every ioctl the interface defines', () => {
    const ioctls = [...header.matchAll(/#define (PINLAB_IOC_\w+)/g)].map((m) => m[1]);
    expect(ioctls).toHaveLength(7);
    for (const name of ioctls) expect(module).toContain(`PL_IOCTL(${name ?? '?'},`);
  });

  it('builds with kbuild as the lab does (make -C <headers> M=<dir>) and with its own Makefile', () => {
    expect(readFileSync(join(KMOD_DIR, 'Kbuild'), 'utf8')).toBe('obj-m := pinlab_grab.o\n');
    expect(readFileSync(join(KMOD_DIR, 'Makefile'), 'utf8')).toContain(
      '$(MAKE) -C $(KDIR) M=$(CURDIR) modules',
    );
  });
});
