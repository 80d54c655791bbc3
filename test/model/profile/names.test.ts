import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, functionName, sameCalls, sameFunction } from '../../../src/model/profile/names.js';
import { compareReleases, type Release } from '../../../src/model/profile/release.js';
import { STABLE_SERIES } from '../../../src/model/profile/stable.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../../../src/model/profile/profiles.js';
import { cli } from '../../cli/helpers.js';

/**
 * Each model identity's name per release, as the trees read say (docs/kernel-audit/names.md): the
 * 5.10, 6.1, 6.12 and 7.2 trees, and v4.19 from the commits that introduced the newer names. The 6.1
 * row is mainline v6.1's (the 6.1 tree agrees for every name but folio_mark_dirty, a backport). Each
 * release after v4.19 is the one before with the names that changed since.
 */
const V4_19: Readonly<Record<string, string>> = {
  iov_iter_get_pages2: 'iov_iter_get_pages',
  iov_iter_get_pages_alloc2: 'iov_iter_get_pages_alloc',
  get_user_pages_longterm: 'get_user_pages_longterm',
  __blkdev_direct_IO_async: '__blkdev_direct_IO',
  blkdev_bio_end_io_async: 'blkdev_bio_end_io',
  submit_bio_wait_endio: 'blkdev_bio_end_io_simple',
  submit_bio_wait: '__blkdev_direct_IO_simple',
  __iomap_dio_rw: 'iomap_dio_rw',
  folio_mark_dirty: 'set_page_dirty_lock',
  folio_put: 'put_page',
  folio_try_get: 'get_page_unless_zero',
  folio_clear_dirty_for_io: 'clear_page_dirty_for_io',
  folio_start_writeback: 'set_page_writeback',
  folio_end_writeback: 'end_page_writeback',
  kmap_local_folio: 'kmap_atomic',
  filemap_read: 'generic_file_buffered_read',
  filemap_release_folio: 'try_to_release_page',
  shrink_folio_list: 'shrink_page_list',
  hugetlb_wp: 'hugetlb_cow',
  do_vmi_munmap: 'do_munmap',
  copy_folio_from_iter: 'copy_page_from_iter',
  bio_alloc_clone: 'bio_clone_fast',
  bio_iov_bvec_set: '__bio_iov_bvec_add_pages',
  __bio_split_to_limits: 'blk_queue_split',
  pipe_read: 'pipe_read',
  write_cache_pages: 'write_cache_pages',
  end_bio_bh_io_sync: 'end_bio_bh_io_sync',
  msg_zerocopy_callback: 'sock_zerocopy_callback',
  zerocopy_fill_skb_from_iter: '__zerocopy_sg_from_iter',
};
const V5_10: Readonly<Record<string, string>> = {
  ...V4_19,
  get_user_pages_longterm: 'get_user_pages',
  __iomap_dio_rw: '__iomap_dio_rw',
  do_vmi_munmap: '__do_munmap',
  __bio_split_to_limits: '__blk_queue_split',
};
const V6_1: Readonly<Record<string, string>> = {
  ...V5_10,
  iov_iter_get_pages2: 'iov_iter_get_pages2',
  iov_iter_get_pages_alloc2: 'iov_iter_get_pages_alloc2',
  __blkdev_direct_IO_async: '__blkdev_direct_IO_async',
  blkdev_bio_end_io_async: 'blkdev_bio_end_io_async',
  submit_bio_wait_endio: 'submit_bio_wait_endio',
  submit_bio_wait: 'submit_bio_wait',
  folio_put: 'folio_put',
  folio_try_get: 'folio_try_get',
  folio_clear_dirty_for_io: 'folio_clear_dirty_for_io',
  folio_start_writeback: 'folio_start_writeback',
  folio_end_writeback: 'folio_end_writeback',
  kmap_local_folio: 'kmap_local_folio',
  filemap_read: 'filemap_read',
  filemap_release_folio: 'filemap_release_folio',
  shrink_folio_list: 'shrink_folio_list',
  hugetlb_wp: 'hugetlb_wp',
  do_vmi_munmap: 'do_mas_munmap',
  bio_alloc_clone: 'bio_alloc_clone',
  bio_iov_bvec_set: 'bio_iov_bvec_set',
  __bio_split_to_limits: '__bio_split_to_limits',
  msg_zerocopy_callback: 'msg_zerocopy_callback',
};
const V6_12: Readonly<Record<string, string>> = {
  ...V6_1,
  msg_zerocopy_callback: 'msg_zerocopy_complete',
  zerocopy_fill_skb_from_iter: 'zerocopy_fill_skb_from_iter',
  folio_mark_dirty: 'folio_mark_dirty',
  do_vmi_munmap: 'do_vmi_munmap',
  copy_folio_from_iter: 'copy_folio_from_iter',
};
const V7_2: Readonly<Record<string, string>> = {
  ...V6_12,
  submit_bio_wait_endio: 'bio_wait_end_io',
  pipe_read: 'anon_pipe_read',
  write_cache_pages: 'writeback_iter',
  end_bio_bh_io_sync: 'bh_end_async_write',
};

const SPELLED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'v4.19': V4_19,
  'v5.10': V5_10,
  'v6.1': V6_1,
  'v6.12': V6_12,
  'v7.2': V7_2,
};

describe('function names per release', () => {
  for (const [release, names] of Object.entries(SPELLED))
    it(`${release}: each renamed function by the name that release has`, () => {
      for (const [id, name] of Object.entries(names)) expect(functionName(release as Release, id)).toBe(name);
    });

  it('leaves a function that never changed its name alone', () => {
    expect(functionName('v4.19', 'bio_release_pages')).toBe('bio_release_pages');
    expect(functionName('v4.19', 'constructor')).toBe('constructor');
  });

  it('keeps every history oldest first, from the oldest release modelled, each with its commit', () => {
    for (const [id, f] of Object.entries(FUNCTION_NAMES)) {
      expect(f.history[0]?.since, id).toBe('v4.19');
      for (let i = 1; i < f.history.length; i++) {
        const [a, b] = [f.history[i - 1], f.history[i]];
        expect(compareReleases(a?.since ?? 'v4.19', b?.since ?? 'v4.19'), id).toBeLessThan(0);
        expect(b?.commit, id).toMatch(/\w+: /);
      }
    }
  });

  it('takes a rename for the same function, and two functions for two', () => {
    expect(sameFunction('iov_iter_get_pages', 'v5.10', 'iov_iter_get_pages2', 'v6.1')).toBe(true);
    expect(sameFunction('blkdev_bio_end_io_simple', 'v5.15', 'bio_wait_end_io', 'v7.2')).toBe(true);
    // On v4.19 __blkdev_direct_IO served both the async single-bio request and the multi-bio one.
    expect(sameFunction('__blkdev_direct_IO', 'v4.19', '__blkdev_direct_IO_async', 'v6.1')).toBe(true);
    expect(sameFunction('__blkdev_direct_IO', 'v4.19', '__blkdev_direct_IO', 'v6.1')).toBe(true);
    expect(sameFunction('iov_iter_get_pages', 'v5.10', 'iov_iter_extract_pages', 'v6.12')).toBe(false);
    // The same spelling is another function when one release renamed another into it.
    expect(sameFunction('iov_iter_get_pages2', 'v6.1', 'iov_iter_get_pages2', 'v5.10')).toBe(false);
    expect(
      sameCalls(
        ['bio_iov_iter_get_pages', 'iov_iter_get_pages'],
        'v5.19',
        ['bio_iov_iter_get_pages', 'iov_iter_get_pages2'],
        'v6.1',
      ),
    ).toBe(true);
    expect(sameCalls(['submit_bio'], 'v5.19', ['submit_bio', 'submit_bio'], 'v6.1')).toBe(false);
  });
});

interface Step {
  readonly fn: string;
  readonly calls: readonly string[];
}

/**
 * The functions of the block-device O_DIRECT read racing fork's trace on `kernel`, in order; with
 * `replayOn`, of the same interleaving replayed there (the bug it shows is fixed there).
 */
function kernelProfileOf(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(name);
  return p;
}

function traceFunctions(kernel: string, replayOn?: string): string[] {
  const kernels = replayOn === undefined ? kernel : `${kernel},${replayOn}`;
  const r = cli(
    'explain',
    'scenarios/dio-read-fork.pin',
    '--kernel',
    kernels,
    '--axis',
    'path=blkdev',
    '--condition',
    'sync-parent-lost',
    '--quiet',
    '--format',
    'json',
  );
  expect(r.code).toBe(0);
  const j = JSON.parse(r.out) as {
    explain: { result: { trace: Step[] }; compare: { steps: Step[] } | null };
  };
  const steps = replayOn === undefined ? j.explain.result.trace : (j.explain.compare?.steps ?? []);
  return steps.flatMap((s) => [s.fn, ...s.calls]);
}

describe('a trace speaks the names of its release (dio-read-fork, block device)', () => {
  it('v4.19: iov_iter_get_pages, set_page_dirty_lock, blkdev_bio_end_io(_simple); no later name', () => {
    const fns = traceFunctions('v4.19');
    expect(fns).toEqual(
      expect.arrayContaining([
        'iov_iter_get_pages',
        'set_page_dirty_lock',
        'blkdev_bio_end_io_simple',
        'blkdev_bio_end_io',
        '__blkdev_direct_IO',
      ]),
    );
    for (const later of [
      'iov_iter_get_pages2',
      'folio_mark_dirty',
      'blkdev_bio_end_io_async',
      '__blkdev_direct_IO_async',
      'submit_bio_wait_endio',
      'submit_bio_wait',
      'dio_complete',
    ])
      expect(fns).not.toContain(later);
  });

  it('v6.12: iov_iter_extract_pages, blkdev_bio_end_io_async, submit_bio_wait(_endio)', () => {
    const fns = traceFunctions('v4.19', 'v6.12');
    expect(fns).toEqual(
      expect.arrayContaining([
        'iov_iter_extract_pages',
        'blkdev_bio_end_io_async',
        'submit_bio_wait_endio',
        'submit_bio_wait',
      ]),
    );
    expect(fns).not.toContain('blkdev_bio_end_io_simple');
  });

  it("v7.2: the simple path's completion is bio_wait_end_io", () => {
    const fns = traceFunctions('v4.19', 'v7.2');
    expect(fns).toEqual(
      expect.arrayContaining(['bio_wait_end_io', 'submit_bio_wait', 'blkdev_bio_end_io_async']),
    );
    expect(fns).not.toContain('submit_bio_wait_endio');
  });

  it('v5.10 and v6.1: iov_iter_get_pages, then iov_iter_get_pages2; set_page_dirty_lock in both', () => {
    const old = traceFunctions('v5.10');
    expect(old).toEqual(
      expect.arrayContaining(['iov_iter_get_pages', 'set_page_dirty_lock', 'blkdev_bio_end_io_simple']),
    );
    const v61 = traceFunctions('v6.1');
    expect(v61).toEqual(
      expect.arrayContaining([
        'iov_iter_get_pages2',
        'set_page_dirty_lock',
        'submit_bio_wait_endio',
        'blkdev_bio_end_io_async',
      ]),
    );
    expect(v61).not.toContain('folio_mark_dirty');
  });
});

describe('a stable series speaks the names its backports brought', () => {
  it('every backported name is a model identity, spelled as a later release spells it', () => {
    for (const series of STABLE_SERIES)
      for (const n of series.names) {
        const entry = FUNCTION_NAMES[n.identity];
        expect(entry, n.identity).toBeDefined();
        expect(entry?.history.map((h) => h.name)).toContain(n.name);
      }
  });
  it('v6.1.y: folio_mark_dirty (the 6.1.176 tree, block/bio.c:1119); v6.1 and v5.10.y: set_page_dirty_lock', () => {
    expect(traceFunctions('v6.1.y')).toContain('folio_mark_dirty');
    expect(traceFunctions('v6.1.y')).not.toContain('set_page_dirty_lock');
    expect(traceFunctions('v6.1')).toContain('set_page_dirty_lock');
    expect(traceFunctions('v5.10.y')).toContain('set_page_dirty_lock');
    expect(functionName(kernelProfileOf('v6.1.y'), 'folio_mark_dirty')).toBe('folio_mark_dirty');
    expect(sameFunction('folio_mark_dirty', kernelProfileOf('v6.1.y'), 'set_page_dirty_lock', 'v6.1')).toBe(
      true,
    );
  });
});

describe('a longterm FOLL_GET grab', () => {
  it('is get_user_pages_longterm() on v4.19 and get_user_pages() with FOLL_LONGTERM on v5.4', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pinlab-')), 'lt.pin');
    writeFileSync(
      file,
      'scenario lt\nintent: A longterm reference.\nsource: test\nprocess P\n  map buf anon private\n' +
        'thread T0 in P\n  get buf longterm as h\n  put h\nexists (P:buf == "A") as x\n',
    );
    const replay = (kernel: string): string => cli('replay', `lt@${kernel}:0.0`, file).out;
    expect(replay('v4.19')).toContain('get_user_pages_longterm()');
    expect(replay('v5.4')).toMatch(/get_user_pages\(\)/);
    expect(replay('v5.4')).not.toContain('get_user_pages_longterm');
  });
});

describe('NFS and ceph O_DIRECT name their own variant of the extraction', () => {
  const calls = (path: 'nfs' | 'ceph', kernel: string): string => {
    const r = cli(
      'explain',
      'scenarios/netfs-dio-read-fork.pin',
      '--kernel',
      kernel,
      '--axis',
      `path=${path}`,
    );
    expect(r.code).toBe(0);
    return r.out;
  };
  it('NFS: iov_iter_get_pages_alloc on v5.10, iov_iter_get_pages_alloc2 from v6.1 (fs/nfs/direct.c)', () => {
    expect(calls('nfs', 'v5.10')).toMatch(/\biov_iter_get_pages_alloc\b/);
    expect(calls('nfs', 'v5.10')).not.toMatch(/iov_iter_get_pages2|iov_iter_get_pages_alloc2/);
    expect(calls('nfs', 'v7.2')).toMatch(/\biov_iter_get_pages_alloc2\b/);
  });
  it('ceph: iov_iter_get_pages on v5.10, iov_iter_get_pages2 from v6.1 (fs/ceph/file.c)', () => {
    expect(calls('ceph', 'v5.10')).toMatch(/\biov_iter_get_pages\b/);
    expect(calls('ceph', 'v6.1')).toMatch(/\biov_iter_get_pages2\b/);
    expect(calls('ceph', 'v6.1')).not.toContain('iov_iter_get_pages_alloc');
  });
});

describe('explain --kernel A,B compares functions by identity', () => {
  it('v5.19 and v6.1 run the same interleaving: iov_iter_get_pages became iov_iter_get_pages2', () => {
    const args = [
      'scenarios/dio-read-fork.pin',
      '--axis',
      'path=blkdev',
      '--condition',
      'sync-parent-lost',
      '--quiet',
    ];
    expect(traceFunctions('v5.19')).toContain('iov_iter_get_pages');
    const r = cli('explain', ...args, '--kernel', 'v5.19,v6.1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('the interleaving runs the same on v5.19 and v6.1\n');
    expect(r.out).not.toMatch(/^>>/m);
    const j = JSON.parse(cli('explain', ...args, '--kernel', 'v5.19,v6.1', '--format', 'json').out) as {
      explain: { compare: { firstDifference: number | null; steps: Step[] } };
    };
    expect(j.explain.compare.firstDifference).toBeNull();
    expect(j.explain.compare.steps.flatMap((s) => s.calls)).toContain('iov_iter_get_pages2');
  });
});

/** The functions a trace of `scenario` on `kernel` names, steps and calls, in order. */
function scenarioFunctions(scenario: string, kernel: string, ...extra: string[]): string[] {
  const r = cli(
    'explain',
    `scenarios/${scenario}.pin`,
    '--kernel',
    kernel,
    ...extra,
    '--quiet',
    '--format',
    'json',
  );
  expect(r.code).toBe(0);
  const j = JSON.parse(r.out) as { explain: { result: { trace: Step[] } } };
  return j.explain.result.trace.flatMap((s) => [s.fn, ...s.calls]);
}

describe('a trace speaks the folio-era names only where they exist', () => {
  // vmsplice of a hugetlb page, the child unmaps, the parent's write fault, the pipe is read.
  const VMSPLICE: Readonly<Record<string, readonly string[]>> = {
    'v4.19': ['do_munmap', 'hugetlb_cow', 'pipe_read'],
    'v5.10': ['__do_munmap', 'hugetlb_cow', 'pipe_read'],
    'v6.1': ['do_mas_munmap', 'hugetlb_wp', 'pipe_read'],
    'v6.12': ['do_vmi_munmap', 'hugetlb_wp', 'pipe_read'],
    'v7.2': ['do_vmi_munmap', 'hugetlb_wp', 'anon_pipe_read'],
  };
  // An iomap O_DIRECT read into a shared file page that the flusher writes back meanwhile.
  const WRITEBACK: Readonly<Record<string, readonly string[]>> = {
    'v4.19': ['write_cache_pages', 'clear_page_dirty_for_io', 'set_page_writeback'],
    'v5.10': ['write_cache_pages', 'clear_page_dirty_for_io', 'set_page_writeback'],
    'v6.1': ['write_cache_pages', 'folio_clear_dirty_for_io', 'folio_start_writeback'],
    'v6.12': ['write_cache_pages', 'folio_clear_dirty_for_io', 'folio_start_writeback'],
    'v7.2': ['writeback_iter', 'folio_clear_dirty_for_io', 'folio_start_writeback'],
  };
  const NEWEST = [
    'do_vmi_munmap',
    'hugetlb_wp',
    'anon_pipe_read',
    'writeback_iter',
    'folio_clear_dirty_for_io',
  ];
  const OLDEST = ['do_munmap', '__do_munmap', 'hugetlb_cow', 'clear_page_dirty_for_io', 'set_page_writeback'];

  for (const release of Object.keys(VMSPLICE)) {
    it(`${release}: vmsplice-child-unmap-hugetlb and dio-read-shared-file-writeback`, () => {
      const fns = [
        ...scenarioFunctions('vmsplice-child-unmap-hugetlb', release),
        ...scenarioFunctions('dio-read-shared-file-writeback', release, '--condition', 'dirty-without-fs'),
      ];
      const expected = [...(VMSPLICE[release] ?? []), ...(WRITEBACK[release] ?? [])];
      expect(fns).toEqual(expect.arrayContaining(expected));
      for (const other of [...NEWEST, ...OLDEST])
        if (!expected.includes(other)) expect(fns, `${release} names ${other}`).not.toContain(other);
    });
  }
});
