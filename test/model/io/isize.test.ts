import { describe, expect, it } from 'vitest';
import { EFAULT } from '../../../src/model/include/errno.js';
import type { FsType } from '../../../src/model/include/fs.js';
import type { MappingSpec } from '../../../src/model/engine/program.js';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { peekBuffer } from '../../../src/model/engine/observe.js';
import { HUGETLB_2M, op, profile } from '../harness.js';
import { fileMap, ioProgram, runOrder } from './io-harness.js';

/**
 * i_size: a fault on a file page at or past it is VM_FAULT_SIGBUS. filemap_fault() (xfs, ext4: the
 * 5.10 tree's mm/filemap.c:2729, 6.1 :3231, 6.12 :3317, 7.2 :3558), shmem_fault() through
 * shmem_get_folio_gfp()'s -EINVAL (5.10 mm/shmem.c:1819, 6.1 :1873, 6.12 :2329, 7.2 :2432),
 * hugetlb_no_page() (5.10 mm/hugetlb.c:4366, 6.1 :5866, 6.12 :6140, 7.2 :5770). A CPU access gets the
 * signal; GUP gets -EFAULT (vm_fault_to_errno(): 5.10 include/linux/mm.h:2897, 6.1 :3161, 6.12 :3656,
 * 7.2 :4615). The model had no i_size: a touch past a truncation faulted a fresh page in.
 */

const FAULT_FN: Readonly<Record<string, string>> = {
  xfs: 'filemap_fault',
  ext4: 'filemap_fault',
  shmem: 'shmem_fault',
  hugetlbfs: 'hugetlb_no_page',
};

/** P maps page `pgoff` of f (two pages, "A" "B") shared; hugetlbfs with a 2 MiB hugetlb page. */
function map(fs: FsType, pgoff: number): MappingSpec {
  const m = fileMap('buf', 0, true, pgoff);
  return fs === 'hugetlbfs' ? { ...m, page: HUGETLB_2M } : m;
}

function prog(fs: FsType, ops: Op[], opts: { pgoff?: number; pages?: string[]; setup?: Op[] } = {}) {
  return ioProgram({
    files: [{ name: 'f', fs, pages: opts.pages ?? ['A', 'B'] }],
    mappings: [map(fs, opts.pgoff ?? 1)],
    setup: opts.setup ?? [],
    actors: [{ process: 0, ops }],
    agents: ['device', 'flusher', 'bio-dirty-work'],
  });
}

const truncate = (pages: number): Op => ({ op: 'truncate', file: 'f', pages });
const pwrite = (index: number, data: string): Op => ({ op: 'pwrite', file: 'f', index, data });
const dioWrite = (index: number): Op => ({
  op: 'dio',
  rw: 'write',
  path: 'iomap',
  async: false,
  file: 'f',
  index,
  iter: 'iovec',
  buf: 'src',
  as: 'd',
});

const FILES: readonly FsType[] = ['xfs', 'ext4', 'shmem', 'hugetlbfs'];
const CASES = RELEASES.flatMap((r) => FILES.map((fs) => [r, fs] as const));

describe('a shared file mapping truncated under it', () => {
  it.each(CASES)('%s %s: a load after the truncation gets SIGBUS, named by the fault handler', (r, fs) => {
    const x = runOrder(
      profile(r),
      prog(fs, [truncate(1), op.read('buf', 'v')], { setup: [op.write('buf', 'X')] }),
      [],
    );
    expect(x.world.actors[0]?.regs.v).toBe('SIGBUS');
    const load = x.labels.find((l) => l.op === 'read');
    expect(load?.fn).toBe(FAULT_FN[fs]);
    expect(load?.ret).toBe(-EFAULT);
    expect(x.world.mms[0]?.vmas[0]?.pte.kind).toBe('none');
    expect(x.world.files[0]?.size).toBe(1);
    expect(x.violations).toEqual([]);
  });
  it.each(CASES)('%s %s: a store after it gets SIGBUS and stores nothing', (r, fs) => {
    const x = runOrder(profile(r), prog(fs, [truncate(1), op.write('buf', 'Y')]), []);
    const store = x.labels.find((l) => l.op === 'write');
    expect(store?.fn).toBe(FAULT_FN[fs]);
    expect(store?.ret).toBe(-EFAULT);
    expect(x.world.mms[0]?.vmas[0]?.pte.kind).toBe('none');
    expect(x.world.files[0]?.cache[1] ?? null).toBeNull();
  });
  it.each(CASES)('%s %s: the page before the new end still faults in', (r, fs) => {
    const x = runOrder(profile(r), prog(fs, [truncate(1), op.read('buf', 'v')], { pgoff: 0 }), []);
    expect(x.world.actors[0]?.regs.v).toBe('A');
  });
  it.each(CASES)('%s %s: GUP of the page past the end fails with -EFAULT, no signal', (r, fs) => {
    const x = runOrder(profile(r), prog(fs, [truncate(1), op.get('buf', 'h')]), []);
    expect(x.world.actors[0]?.regs.h).toBe(String(-EFAULT));
    expect(x.world.actors[0]?.held.h).toBeUndefined();
    expect(x.labels.find((l) => l.op === 'gup')?.calls).toContain(FAULT_FN[fs]);
  });
  it.each(CASES)('%s %s: the final observation of the buffer (P:buf) is SIGBUS too', (r, fs) => {
    const x = runOrder(profile(r), prog(fs, [truncate(1)], { setup: [op.write('buf', 'X')] }), []);
    expect(peekBuffer(x.world, 0, 'buf')).toBe('SIGBUS');
  });
  it.each(CASES)('%s %s: ftruncate that grows the file makes the page a hole again', (r, fs) => {
    const x = runOrder(profile(r), prog(fs, [truncate(1), truncate(2), op.read('buf', 'v')]), []);
    expect(x.world.actors[0]?.regs.v).toBe('0');
  });
});

describe('a file that grows under a mapping past its end', () => {
  const WRITABLE: readonly FsType[] = ['xfs', 'ext4', 'shmem'];
  const cases = RELEASES.flatMap((r) => WRITABLE.map((fs) => [r, fs] as const));
  it.each(cases)('%s %s: a load past the end is SIGBUS; after a pwrite there it reads the write', (r, fs) => {
    const before = runOrder(profile(r), prog(fs, [op.read('buf', 'v')], { pages: ['A'] }), []);
    expect(before.world.actors[0]?.regs.v).toBe('SIGBUS');
    const x = runOrder(profile(r), prog(fs, [pwrite(1, 'P'), op.read('buf', 'v')], { pages: ['A'] }), []);
    expect(x.world.files[0]?.size).toBe(2);
    expect(x.world.actors[0]?.regs.v).toBe('P');
  });
  it.each(RELEASES.flatMap((r) => (['xfs', 'ext4'] as const).map((fs) => [r, fs] as const)))(
    '%s %s: a direct write past the end moves i_size at its completion (the filesystem end_io)',
    (r, fs) => {
      const p = ioProgram({
        files: [{ name: 'f', fs, pages: ['A'] }],
        mappings: [fileMap('buf', 0, true, 1), { ...fileMap('src', 0, false), backing: { type: 'anon' } }],
        setup: [op.write('src', 'Q')],
        actors: [{ process: 0, ops: [dioWrite(1), op.read('buf', 'v')] }],
        agents: ['device', 'flusher', 'bio-dirty-work'],
      });
      const x = runOrder(profile(r), p, []);
      expect(x.world.actors[0]?.regs.d).toBe('1');
      expect(x.world.files[0]?.size).toBe(2);
      expect(x.world.actors[0]?.regs.v).toBe('Q');
    },
  );
  it.each(RELEASES)(
    '%s hugetlbfs: a writable mapping past the end moves i_size at mmap (hugetlbfs_file_mmap)',
    (r) => {
      const x = runOrder(profile(r), prog('hugetlbfs', [op.read('buf', 'v')], { pages: ['A'] }), []);
      expect(x.world.files[0]?.size).toBe(2);
      expect(x.world.actors[0]?.regs.v).toBe('0');
    },
  );
});

describe('i_size through a remap and a hole punch', () => {
  const remap = (dedupe: boolean, dstIndex: number): Op => ({
    op: 'remap',
    dedupe,
    file: 'g',
    index: 0,
    dst: 'f',
    dstIndex,
    as: 'd',
  });
  const twoFiles = (ops: Op[]) =>
    ioProgram({
      files: [
        { name: 'f', fs: 'xfs', pages: ['A'] },
        { name: 'g', fs: 'xfs', pages: ['G'] },
      ],
      mappings: [fileMap('buf', 0, true, 1)],
      actors: [{ process: 0, ops }],
      agents: ['device', 'flusher', 'bio-dirty-work'],
    });
  it.each(RELEASES)('%s: a clone past the destination end moves it (xfs_reflink_update_dest)', (r) => {
    const x = runOrder(profile(r), twoFiles([remap(false, 1), op.read('buf', 'v')]), []);
    expect(x.world.actors[0]?.regs.d).toBe('1');
    expect(x.world.files[0]?.size).toBe(2);
    expect(x.world.actors[0]?.regs.v).toBe('G');
  });
  it.each(RELEASES)('%s: a dedupe past the destination end is EINVAL and moves nothing', (r) => {
    const x = runOrder(profile(r), twoFiles([remap(true, 1), op.read('buf', 'v')]), []);
    expect(x.world.actors[0]?.regs.d).toBe('EINVAL');
    expect(x.world.files[0]?.size).toBe(1);
    expect(x.world.actors[0]?.regs.v).toBe('SIGBUS');
  });
  it.each(RELEASES)('%s: a punched hole (KEEP_SIZE) keeps i_size: the page reads zeros, no SIGBUS', (r) => {
    const x = runOrder(
      profile(r),
      prog('xfs', [{ op: 'fallocate', file: 'f', index: 1 }, op.read('buf', 'v')]),
      [],
    );
    expect(x.world.files[0]?.size).toBe(2);
    expect(x.world.actors[0]?.regs.v).toBe('0');
  });
});
