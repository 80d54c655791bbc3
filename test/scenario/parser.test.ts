import { describe, expect, it } from 'vitest';
import { FOLL_LONGTERM, FOLL_WRITE } from '../../src/model/include/foll.js';
import { KERNELS } from '../../src/model/profile/profiles.js';
import type { Op } from '../../src/model/ops/index.js';
import { OP_SYNTAX } from '../../src/scenario/ops.js';
import { STATEMENT_WORDS } from '../../src/scenario/parser.js';
import { parseOk, withOps } from './helpers.js';

const opsOf = (ops: string, decls = ''): readonly Op[] =>
  parseOk(withOps(ops, '', decls))[0]?.scenario.program.actors[0]?.ops ?? [];

describe('parseScenarios: setup', () => {
  const text = `scenario every-mapping
intent: Every kind of mapping
  the model has.
source: design.md
file data xfs integrity = "D0" "D1"
file memfd shmem = "M"
file huge hugetlbfs no-integrity stable-writes
pipe p
agent device
agent flusher
process P
  map a anon private
  map s anon shared r
  map fp file data private pgoff=1 none
  map fs file data shared w
  map m file memfd shared
  map t anon private page=thp
  map tp anon private page=thp-pte rw
  map t64 anon private page=thp-128K
  map h2 anon private page=hugetlb-2M
  map h1 file huge shared page=hugetlb-1G
thread T0 in P
  read a -> r
exists (T0:r == "0")
`;
  const [parsed] = parseOk(text, 'dir/every-mapping.pin');
  const s = parsed?.scenario;

  it('reads the header, folding the intent into one line', () => {
    expect(s).toMatchObject({
      id: 'every-mapping',
      name: 'every-mapping',
      intent: 'Every kind of mapping the model has.',
      source: 'design.md',
      axes: [],
    });
  });

  it('reads files with their filesystem, flags and pages, pipes and agents', () => {
    expect(s?.program.files).toEqual([
      { name: 'data', fs: 'xfs', pages: ['D0', 'D1'], integrity: true },
      { name: 'memfd', fs: 'shmem', pages: ['M'] },
      { name: 'huge', fs: 'hugetlbfs', pages: [], integrity: false, stableWrites: true },
    ]);
    expect(s?.program.pipes).toEqual(['p']);
    expect(s?.program.agents).toEqual(['device', 'flusher']);
  });

  it('reads every kind of mapping, its page size and protection', () => {
    const m = s?.program.processes[0]?.mappings ?? [];
    expect(m.map((x) => [x.name, x.backing, x.shared, x.page, x.read, x.write])).toEqual([
      ['a', { type: 'anon' }, false, { kind: 'base' }, true, true],
      ['s', { type: 'anon' }, true, { kind: 'base' }, true, false],
      ['fp', { type: 'file', file: 0, pgoff: 1 }, false, { kind: 'base' }, false, false],
      ['fs', { type: 'file', file: 0, pgoff: 0 }, true, { kind: 'base' }, false, true],
      ['m', { type: 'file', file: 1, pgoff: 0 }, true, { kind: 'base' }, true, true],
      ['t', { type: 'anon' }, false, { kind: 'thp', order: 9 }, true, true],
      ['tp', { type: 'anon' }, false, { kind: 'thp', order: 4 }, true, true],
      ['t64', { type: 'anon' }, false, { kind: 'thp', order: 5 }, true, true],
      ['h2', { type: 'anon' }, false, { kind: 'hugetlb', order: 9 }, true, true],
      ['h1', { type: 'file', file: 2, pgoff: 0 }, true, { kind: 'hugetlb', order: 18 }, true, true],
    ]);
  });

  it('keeps the position of every part', () => {
    expect(parsed?.where.files).toEqual([
      { line: 5, col: 1 },
      { line: 6, col: 1 },
      { line: 7, col: 1 },
    ]);
    expect(parsed?.where.ops).toEqual([[{ line: 23, col: 3 }]]);
    expect(parsed?.where.mappings[0]?.[2]).toEqual({ line: 14, col: 3 });
  });
});

describe('parseScenarios: operations', () => {
  it('reads memory accesses and mapping changes', () => {
    expect(
      opsOf(
        'write buf "B"\nread buf -> r1\nmunmap buf\nmprotect buf r\nmadvise buf pageout\nfork C\nexit',
        'process C forked',
      ),
    ).toEqual([
      { op: 'write', buf: 'buf', data: 'B' },
      { op: 'read', buf: 'buf', reg: 'r1' },
      { op: 'munmap', buf: 'buf' },
      { op: 'mprotect', buf: 'buf', read: true, write: false },
      { op: 'madvise', buf: 'buf', advice: 'pageout' },
      { op: 'fork', child: 1 },
      { op: 'exit' },
    ]);
  });

  it('reads GUP grabs and their release', () => {
    expect(
      opsOf(
        'pin buf write longterm as h\nget fb fast as g\nget buf fast force flags=32 as k\npeek h -> seen\nunpin h dirty\nput g\nunpin k',
      ),
    ).toEqual([
      { op: 'gup', buf: 'buf', mode: 'pin', flags: FOLL_WRITE | FOLL_LONGTERM, fast: false, as: 'h' },
      { op: 'gup', buf: 'fb', mode: 'get', flags: 0, fast: true, as: 'g' },
      { op: 'gup', buf: 'buf', mode: 'get', flags: 8 | 32, fast: true, as: 'k' },
      { op: 'peek', handle: 'h', reg: 'seen' },
      { op: 'release', handle: 'h', how: 'unpin-dirty' },
      { op: 'release', handle: 'g', how: 'put' },
      { op: 'release', handle: 'k', how: 'unpin' },
    ]);
  });

  it('reads direct I/O, buffered I/O, kernel memory, pipes and io_uring', () => {
    const text = withOps(
      [
        'dio read iomap f[0] into buf as r1',
        'dio write blkdev-multi async iovec d[0] from buf as io',
        'await io',
        'kalloc vmalloc as k',
        'dio read legacy kvec f[0] into k as r2',
        'dio read blkdev discard d[0] as r3',
        'pread f[0] -> r4',
        'pwrite f[0] "X"',
        'fsync f',
        'reclaim f[0]',
        'truncate f 0',
        'touch buf',
        'vmsplice buf -> p',
        'pipe-read p -> r5',
        'splice p -> f[0]',
        'uring register buf 0 -> r6',
        'uring write-fixed 0 iomap f[0] as r7',
        'uring unregister 0',
      ].join('\n'),
      '',
      'pipe p\nfile d bdev = "D"',
    );
    expect(parseOk(text)[0]?.scenario.program.actors[0]?.ops).toEqual([
      {
        op: 'dio',
        rw: 'read',
        path: 'iomap',
        async: false,
        file: 'f',
        index: 0,
        // No type written: the one pread() builds on the release (syscallIter).
        iter: 'syscall',
        buf: 'buf',
        as: 'r1',
      },
      {
        op: 'dio',
        rw: 'write',
        path: 'blkdev-multi',
        async: true,
        file: 'd',
        index: 0,
        iter: 'iovec',
        buf: 'buf',
        as: 'io',
      },
      { op: 'await', as: 'io' },
      { op: 'kalloc', kind: 'vmalloc', as: 'k' },
      {
        op: 'dio',
        rw: 'read',
        path: 'legacy',
        async: false,
        file: 'f',
        index: 0,
        iter: 'kvec',
        buf: 'k',
        as: 'r2',
      },
      {
        op: 'dio',
        rw: 'read',
        path: 'blkdev',
        async: false,
        file: 'd',
        index: 0,
        iter: 'discard',
        buf: '',
        as: 'r3',
      },
      { op: 'pread', file: 'f', index: 0, reg: 'r4' },
      { op: 'pwrite', file: 'f', index: 0, data: 'X' },
      { op: 'fsync', file: 'f' },
      { op: 'reclaim', file: 'f', index: 0 },
      { op: 'truncate', file: 'f', pages: 0 },
      { op: 'touch', buf: 'buf' },
      { op: 'vmsplice', buf: 'buf', pipe: 'p' },
      { op: 'pipe-read', pipe: 'p', reg: 'r5' },
      { op: 'splice', pipe: 'p', file: 'f', index: 0 },
      { op: 'uring-register', buf: 'buf', index: 0, reg: 'r6' },
      { op: 'uring-rw', rw: 'write', index: 0, path: 'iomap', file: 'f', fileIndex: 0, as: 'r7' },
      { op: 'uring-unregister', index: 0 },
    ]);
  });

  it('has a syntax entry for every model operation, and no operation word is a statement word', () => {
    const words = Object.values(OP_SYNTAX).flatMap((s) => s.words);
    expect(words.filter((w) => (STATEMENT_WORDS as readonly string[]).includes(w))).toEqual([]);
    expect(new Set(words).size).toBe(words.length);
  });
});

describe('parseScenarios: conditions', () => {
  const cond = (c: string): unknown =>
    parseOk(withOps('read buf -> r', '').replace('exists (P:buf == "X")', c))[0]?.scenario.conditions;

  it('names a condition by its text unless it has `as NAME`', () => {
    expect(cond('exists T0:r = "B"')).toEqual([
      {
        name: 'exists (T0:r == "B")',
        quantifier: 'exists',
        prop: { kind: 'eq', left: { kind: 'reg', actor: 0, reg: 'r' }, right: { kind: 'lit', value: 'B' } },
      },
    ]);
    expect(cond('forall (P:buf != "B") as "kept data"')).toMatchObject([
      { name: 'kept data', quantifier: 'forall' },
    ]);
  });

  it('binds not tighter than and, and tighter than or, with herd spellings too', () => {
    const eq = (v: string): unknown => ({
      kind: 'eq',
      left: { kind: 'reg', actor: 0, reg: 'r' },
      right: { kind: 'lit', value: v },
    });
    expect(cond('exists (T0:r == "a" or not T0:r == "b" and T0:r == "c") as x')).toMatchObject([
      {
        prop: {
          kind: 'or',
          args: [eq('a'), { kind: 'and', args: [{ kind: 'not', arg: eq('b') }, eq('c')] }],
        },
      },
    ]);
    expect(cond('exists (T0:r == "a" \\/ ~(T0:r == "b" /\\ T0:r == "c")) as x')).toMatchObject([
      {
        prop: {
          kind: 'or',
          args: [eq('a'), { kind: 'not', arg: { kind: 'and', args: [eq('b'), eq('c')] } }],
        },
      },
    ]);
  });

  it('reads registers, final memory, disk pages and numbers', () => {
    expect(cond('exists (T0:r == P:buf and disk:f[0] != -14) as x')).toMatchObject([
      {
        prop: {
          kind: 'and',
          args: [
            { left: { kind: 'reg', actor: 0, reg: 'r' }, right: { kind: 'mem', process: 0, buf: 'buf' } },
            { kind: 'ne', left: { kind: 'disk', file: 0, page: 0 }, right: { kind: 'lit', value: '-14' } },
          ],
        },
      },
    ]);
  });
});

describe('parseScenarios: expectations', () => {
  const expects = (line: string): [string, string, string][] =>
    (parseOk(withOps('write buf "X"', line))[0]?.scenario.expectations ?? []).map((e) => [
      e.condition,
      e.kernel,
      e.verdict,
    ]);

  it('expands ranges over the ordered releases, both ends included', () => {
    expect(expects('expect: sometimes on v4.19..v5.4, never on v5.8, v6.1..')).toEqual([
      ['exists (P:buf == "X")', 'v4.19', 'sometimes'],
      ['exists (P:buf == "X")', 'v5.4', 'sometimes'],
      ['exists (P:buf == "X")', 'v5.8', 'never'],
      ...KERNELS.slice(KERNELS.indexOf('v6.1')).map(
        (r) => ['exists (P:buf == "X")', r, 'never'] as [string, string, string],
      ),
    ]);
  });

  it('sorts a stable series right after its release: a range ending at the release leaves it out', () => {
    const kernels = (line: string): string[] => expects(line).map((e) => e[1]);
    expect(kernels('expect: never on v5.8..v5.15')).toEqual(['v5.8', 'v5.10', 'v5.10.y', 'v5.15']);
    expect(kernels('expect: never on v5.8..v5.10')).toEqual(['v5.8', 'v5.10']);
    expect(kernels('expect: never on v5.10.y..v5.15, always on v6.12.y')).toEqual([
      'v5.10.y',
      'v5.15',
      'v6.12.y',
    ]);
  });

  it('reads `all`, open starts and variant names', () => {
    expect(expects('expect: always on all').length).toBe(KERNELS.length);
    expect(expects('expect: never on ..v5.4, always on howells-v8').map((e) => e[1])).toEqual([
      'v4.19',
      'v5.4',
      'howells-v8',
    ]);
  });
});

describe('parseScenarios: axes', () => {
  const text = `scenario cow
intent: x
source: y
axis page = base | thp | hugetlb-2M
axis data = "A" | "B"
process P
  map buf anon private page=$page
thread T0 in P
  write buf $data
exists (P:buf == "A") as a
expect a when page=base|thp data=A: always on all
expect a when page=hugetlb-2M data=A: sometimes on all
expect a when data=B: never on all
`;
  const all = parseOk(text, 'cow.pin').map((p) => p.scenario);

  it('gives one scenario per combination of values, named after them', () => {
    expect(all.map((s) => s.id)).toEqual([
      'cow[page=base,data=A]',
      'cow[page=base,data=B]',
      'cow[page=thp,data=A]',
      'cow[page=thp,data=B]',
      'cow[page=hugetlb-2M,data=A]',
      'cow[page=hugetlb-2M,data=B]',
    ]);
    expect(all[4]?.axes).toEqual([
      { axis: 'page', value: 'hugetlb-2M' },
      { axis: 'data', value: 'A' },
    ]);
    expect(all[4]?.program.processes[0]?.mappings[0]?.page).toEqual({ kind: 'hugetlb', order: 9 });
    expect(all[5]?.program.actors[0]?.ops[0]).toEqual({ op: 'write', buf: 'buf', data: 'B' });
  });

  it('keeps the expectations whose `when` matches', () => {
    expect(all.map((s) => s.expectations[0]?.verdict)).toEqual([
      'always',
      'never',
      'always',
      'never',
      'sometimes',
      'never',
    ]);
  });
});
