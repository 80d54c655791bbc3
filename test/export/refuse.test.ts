import { describe, expect, it } from 'vitest';
import { kernelActorNeeds, refusals } from '../../src/export/index.js';
import { scenarioOf } from './fixtures.js';

function withThread(body: string, head = ''): string {
  return `scenario refused
intent: A scenario export-c must refuse.
source: pinlab's export tests

file f xfs = "D"
file b bdev = "D"
file l ext4 = "D"
${head}
process P
  map buf anon private

thread T0 in P
${body
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}

exists (P:buf == "D") as c
`;
}

function reasons(text: string): string[] {
  return scenarioOf(text).flatMap((s) => refusals(s.scenario).map((r) => `${r.where}: ${r.reason}`));
}

describe('refusals', () => {
  it('accepts what a process can do', () => {
    expect(reasons(withThread('dio read iomap f[0] into buf as r'))).toEqual([]);
    expect(reasons(withThread('pin buf write longterm as r\nunpin r'))).toEqual([]);
    expect(reasons(withThread('get buf fast as r\nput r'))).toEqual([]);
  });

  it.each([
    [
      'kalloc page as k\ndio read blkdev xarray b[0] into k as r',
      'ITER_XARRAY: only a kernel caller has this',
    ],
    ['reclaim f[0]', 'thread T0: reclaim f[0]: no system call makes reclaim take one page at a chosen point'],
    ['try-get', 'a speculative reference'],
    [
      'dio read blkdev-multi b[0] into buf as r',
      'multi-bio __blkdev_direct_IO path only for I/O over BIO_MAX_VECS',
    ],
    ['dio read legacy l[0] into buf as r', 'fs/direct-io.c serves vfat'],
    ['exit', 'only a forked process can exit'],
    ['sg-io read b[0] into buf as r', 'SG_IO needs a SCSI device (sg or bsg)'],
    ['dio read blkdev-split b[0] into buf as r', "the kernel splits a bio by the device's limits"],
  ])('refuses %s', (body, reason) => {
    const r = reasons(withThread(body));
    expect(r.join('\n')).toContain(reason);
  });

  it.each(['nfs', 'ceph'])('refuses a file on %s and O_DIRECT on it: they need a server', (fs) => {
    const text = withThread(`dio read ${fs} n[0] into buf as r`).replace(
      'file f xfs = "D"',
      `file f xfs = "D"\nfile n ${fs} = "D"`,
    );
    expect(reasons(text)).toEqual([
      `file n: a file on ${fs} needs a server and a mount: the exported program makes local files only`,
      `thread T0: dio read ${fs} n[0] into buf as r: O_DIRECT on ${fs} needs a server and a mount: the exported program makes local files only`,
    ]);
  });

  it('refuses a device with integrity tags and a disk condition without the flusher', () => {
    const text = withThread('dio read iomap f[0] into buf as r').replace(
      'file f xfs = "D"',
      'file f xfs integrity = "D"',
    );
    expect(reasons(text).join('\n')).toContain('file f: needs a device that checks DIF/DIX guard tags');
    const disk = withThread('dio read iomap f[0] into buf as r').replace(
      'exists (P:buf == "D") as c',
      'exists (disk:f[0] == "D") as c',
    );
    expect(reasons(disk)).toEqual([
      expect.stringContaining('condition c: reads a disk page without `agent flusher`'),
    ]);
    expect(reasons(disk.replace('process P', 'agent flusher\n\nprocess P'))).toEqual([]);
  });

  it('refuses a second process that is not forked', () => {
    const text = withThread('touch buf').replace('thread T0', 'process Q\n\nthread T0');
    expect(reasons(text)).toContain(
      'process Q: the exported program starts one process; every other one must be created by a fork',
    );
  });
});

describe('what needs the kernel-side actor (the pinlab_grab module)', () => {
  const needs = (body: string): string[] =>
    scenarioOf(withThread(body)).flatMap((s) => [
      ...refusals(s.scenario).map((r) => `refused ${r.where}`),
      ...kernelActorNeeds(s.scenario).map((r) => `${r.where}: ${r.reason}`),
    ]);

  it('exports what the module does, and says why each op needs it', () => {
    expect(needs('kalloc page as k\nput k')).toEqual([
      'thread T0: kalloc page as k: vmalloc() and alloc_page(): only a kernel caller has this: a process cannot make the kernel do it',
    ]);
    expect(needs('kalloc vmalloc as k\ndio read blkdev kvec b[0] into k as r')).toEqual([
      expect.stringContaining('kalloc vmalloc as k'),
      'thread T0: dio read blkdev kvec b[0] into k as r: ITER_KVEC: only a kernel caller has this: a process cannot make the kernel do it',
    ]);
    expect(needs('get buf write as r')).toEqual([
      expect.stringContaining('no system call holds a FOLL_GET reference with these flags'),
    ]);
    expect(needs('pin buf as r')).toEqual([expect.stringContaining('no system call holds a FOLL_PIN')]);
    expect(needs('pin buf write force as r')).toEqual([
      expect.stringContaining('no system call holds a FOLL_PIN'),
    ]);
  });

  it('leaves to the process what it can do alone', () => {
    expect(needs('get buf as r\nput r')).toEqual([]);
    expect(needs('pin buf write longterm fast as r\nunpin r')).toEqual([]);
    expect(needs('dio read iomap f[0] into buf as r')).toEqual([]);
  });

  it('still refuses a path the kernel picks, with a kernel iterator too', () => {
    expect(needs('kalloc vmalloc as k\ndio read legacy kvec l[0] into k as r')).toContain(
      'refused thread T0: dio read legacy kvec l[0] into k as r',
    );
  });
});

describe('refusals of data', () => {
  const data = (token: string): string[] => reasons(withThread(`write buf ${token}`));
  const why = 'the program keeps data as C strings: at most 31 bytes (UTF-8), none of them NUL';

  it('accepts data that fits a value slot, and refuses longer data or a NUL byte', () => {
    expect(data(`"${'x'.repeat(31)}"`)).toEqual([]);
    expect(data(`"${'x'.repeat(32)}"`)).toEqual([`data "${'x'.repeat(32)}": ${why}`]);
    expect(data(`"${'é'.repeat(16)}"`)).toEqual([`data "${'é'.repeat(16)}": ${why}`]);
    expect(data('"a\\u{0}b"')).toHaveLength(1);
  });
});
