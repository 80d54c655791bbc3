import fc from 'fast-check';
import type { Condition, Expr, Prop } from '../../src/check/condition.js';
import type { FsType } from '../../src/model/include/fs.js';
import type { Op } from '../../src/model/ops/index.js';
import { profileNames } from '../../src/model/profile/profiles.js';
import type {
  ActorSpec,
  FileSpec,
  MappingSpec,
  PageSpec,
  ProcessSpec,
  Program,
} from '../../src/model/engine/program.js';
import { ADVICE, GUP_FLAGS, ITER_TYPES, PROTS, protOf } from '../../src/scenario/ops.js';
import { fsDioPaths } from '../../src/model/fs/dio-path.js';
import { AGENT_KINDS, FS_TYPES } from '../../src/scenario/pages.js';
import { axisSuffix, conditionText, programNames } from '../../src/scenario/printer.js';
import type { AxisValue, Expectation, Scenario } from '../../src/scenario/types.js';
import { EXPECTED_VERDICTS } from '../../src/scenario/types.js';
import { SETUP_REFUSED } from '../../src/scenario/validate.js';

/**
 * Test-only: arbitrary valid Scenarios (what the parser can produce), for the print -> parse round trip.
 * Random choices are drawn as plain numbers and mapped onto whatever is declared, so every reference
 * (buffer, handle, register, process) is valid by construction.
 */

const anyString = fc.string({ unit: 'binary', maxLength: 6 });
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;
const nat = fc.nat({ max: 1000 });

const fileArb: fc.Arbitrary<Omit<FileSpec, 'name'>> = fc.record(
  {
    fs: fc.constantFrom<FsType>(...FS_TYPES),
    pages: fc.array(anyString, { maxLength: 3 }),
    integrity: fc.boolean(),
    stableWrites: fc.boolean(),
  },
  { requiredKeys: ['fs', 'pages'] },
);

const anonPages: readonly PageSpec[] = [
  { kind: 'base' },
  { kind: 'thp', order: 9 },
  { kind: 'thp', order: 4 },
  { kind: 'thp', order: 2 },
  { kind: 'hugetlb', order: 9 },
  { kind: 'hugetlb', order: 18 },
];

/** A raw operation: its kind and numbers that pick operands from what is declared. */
const rawOp = fc.tuple(fc.nat({ max: 34 }), nat, nat, anyString, fc.boolean());
type RawOp = [number, number, number, string, boolean];

interface ActorState {
  readonly bufs: readonly string[];
  readonly files: readonly string[];
  /** Each file's filesystem: a direct-I/O path is one the filesystem takes (fsDioPaths). */
  readonly fsOf: (file: string) => FsType;
  readonly pipes: readonly string[];
  readonly handles: string[];
  readonly ios: string[];
  readonly regs: string[];
}

/** The raw operation as a valid Op for an actor, or null when it has nothing to work on. */
function makeOp([kind, a, b, data, flag]: RawOp, st: ActorState, fresh: () => string): Op | null {
  const buf = st.bufs.length > 0 ? pick(st.bufs, a) : null;
  const handle = st.handles.length > 0 ? pick(st.handles, a) : null;
  const file = st.files.length > 0 ? pick(st.files, a) : null;
  const pipe = st.pipes.length > 0 ? pick(st.pipes, b) : null;
  const reg = (): string => {
    const r = fresh();
    st.regs.push(r);
    return r;
  };
  switch (kind) {
    case 0:
      return buf === null ? null : { op: 'write', buf, data };
    case 1:
      return buf === null ? null : { op: 'read', buf, reg: reg() };
    case 2:
      return buf === null ? null : { op: 'munmap', buf };
    case 3:
      return buf === null ? null : { op: 'mprotect', buf, ...protOf(pick(PROTS, b)) };
    case 4:
      return buf === null ? null : { op: 'madvise', buf, advice: pick(ADVICE, b) };
    case 5:
    case 6: {
      if (buf === null) return null;
      const as = reg();
      st.handles.push(as);
      const flags = GUP_FLAGS.filter((_, i) => b & (1 << i)).reduce((f, [, bit]) => f | bit, 0);
      return { op: 'gup', buf, mode: kind === 5 ? 'get' : 'pin', flags: flags | (b & 64), fast: flag, as };
    }
    case 7:
      return handle === null
        ? null
        : { op: 'release', handle, how: pick(['unpin', 'unpin-dirty', 'put'] as const, b) };
    case 8:
      return handle === null ? null : { op: 'peek', handle, reg: reg() };
    case 9:
      return { op: 'exit' };
    case 10:
      return file === null ? null : { op: 'pread', file, index: b % 3, reg: reg() };
    case 11:
      return file === null ? null : { op: 'pwrite', file, index: b % 3, data };
    case 12:
      return file === null ? null : { op: 'fsync', file };
    case 13:
      return file === null ? null : { op: 'reclaim', file, index: b % 3 };
    case 14:
      return file === null ? null : { op: 'truncate', file, pages: b % 3 };
    case 15: {
      const as = fresh();
      st.handles.push(as);
      return { op: 'kalloc', kind: flag ? 'vmalloc' : ((['page', 'kmalloc'] as const)[b % 2] ?? 'page'), as };
    }
    case 16:
      return buf === null ? null : { op: 'touch', buf };
    case 17: {
      // 'syscall': no type written, the iterator the system call builds on the release.
      const iter = pick([...ITER_TYPES, 'syscall' as const], b);
      const kernel = ['kvec', 'bvec', 'xarray', 'folioq'].includes(iter);
      const target = iter === 'discard' ? '' : kernel ? handle : buf;
      const paths = file === null ? [] : fsDioPaths(st.fsOf(file));
      if (file === null || target === null || paths.length === 0) return null;
      const as = flag ? fresh() : reg();
      if (flag) {
        st.ios.push(as);
        st.regs.push(as);
      }
      const rw = b % 2 === 0 ? ('read' as const) : ('write' as const);
      return {
        op: 'dio',
        rw,
        path: pick(paths, a),
        async: flag,
        file,
        index: a % 2,
        iter,
        buf: target,
        as,
      };
    }
    case 18:
      return st.ios.length === 0 ? null : { op: 'await', as: pick(st.ios, a) };
    case 19:
      return buf === null || pipe === null ? null : { op: 'vmsplice', buf, pipe };
    case 20:
      return pipe === null ? null : { op: 'pipe-read', pipe, reg: reg() };
    case 21:
      return pipe === null || file === null ? null : { op: 'splice', pipe, file, index: a % 2 };
    case 22:
      return buf === null ? null : { op: 'uring-register', buf, index: b % 2, reg: reg() };
    case 23: {
      const paths = file === null ? [] : fsDioPaths(st.fsOf(file));
      if (file === null || paths.length === 0) return null;
      const rw = flag ? ('write' as const) : ('read' as const);
      return {
        op: 'uring-rw',
        rw,
        index: b % 2,
        path: pick(paths, b),
        file,
        fileIndex: a % 2,
        as: reg(),
      };
    }
    case 24:
      return buf === null ? null : { op: 'split-pmd', buf };
    case 25:
      return { op: 'try-get' };
    case 26:
      if (handle === null)
        return b % 3 === 1 ? { op: 'ublk', action: 'unregister', index: b % 2, reg: reg() } : null;
      return b % 3 === 0
        ? { op: 'ublk', action: 'register', dir: flag ? 'write' : 'read', handle, index: b % 2, reg: reg() }
        : b % 3 === 1
          ? { op: 'ublk', action: 'unregister', index: b % 2, reg: reg() }
          : { op: 'ublk', action: 'commit', handle };
    case 27:
      return { op: 'uring-unregister', index: b % 2 };
    case 28: {
      if (buf === null) return null;
      const as = reg();
      if (flag) st.ios.push(as);
      return { op: 'send', buf, zerocopy: flag, as };
    }
    case 29:
      return { op: 'recv', reg: reg() };
    case 30:
      return st.ios.length === 0 ? null : { op: 'errqueue', as: pick(st.ios, a), reg: reg() };
    case 31: {
      if (file === null || handle === null || fsDioPaths(st.fsOf(file)).length === 0) return null;
      const as = reg();
      if (flag) st.ios.push(as);
      const rw = b % 2 === 0 ? ('read' as const) : ('write' as const);
      const driver = a % 2 === 0 ? ('loop' as const) : ('lio' as const);
      return { op: 'kernel-aio', driver, rw, async: flag, file, index: b % 2, handle, as };
    }
    case 32: {
      const dst = st.files.length > 0 ? pick(st.files, b) : null;
      if (file === null || dst === null) return null;
      if (!flag && (st.fsOf(file) === 'nfs' || st.fsOf(dst) === 'nfs')) return null;
      return { op: 'remap', dedupe: flag, file, index: a % 2, dst, dstIndex: b % 2, as: reg() };
    }
    case 33:
      return buf === null || file === null
        ? null
        : { op: 'sg-io', rw: flag ? 'write' : 'read', file, index: a % 2, buf, as: reg() };
    default:
      return file === null ? null : { op: 'fallocate', file, index: b % 3 };
  }
}

const exprArb = (leaves: readonly Expr[]): fc.Arbitrary<Expr> =>
  fc.oneof(
    anyString.map((value): Expr => ({ kind: 'lit', value })),
    ...(leaves.length > 0 ? [fc.constantFrom(...leaves)] : []),
  );

const propArb = (leaves: readonly Expr[]): fc.Arbitrary<Prop> =>
  fc.letrec<{ prop: Prop }>((tie) => ({
    prop: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .tuple(fc.boolean(), exprArb(leaves), exprArb(leaves))
        .map(([eq, left, right]): Prop => ({ kind: eq ? 'eq' : 'ne', left, right })),
      tie('prop').map((arg): Prop => ({ kind: 'not', arg })),
      fc
        .tuple(fc.boolean(), fc.array(tie('prop'), { minLength: 2, maxLength: 3 }))
        .map(([and, args]): Prop => ({ kind: and ? 'and' : 'or', args })),
    ),
  })).prop;

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    base: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ minLength: 1, maxLength: 8 })),
    intent: fc.array(fc.stringMatching(/^[!-~]{1,12}$/), { minLength: 1, maxLength: 30 }),
    source: fc.array(fc.stringMatching(/^[!-~]{1,12}$/), { minLength: 1, maxLength: 4 }),
    axes: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 2 }),
    files: fc.array(fileArb, { maxLength: 2 }),
    pipes: fc.nat({ max: 2 }),
    agents: fc.array(fc.constantFrom(...AGENT_KINDS), { maxLength: 2 }),
    // Per process: forked (when not the first), its parent pick, mappings as raw picks.
    processes: fc.array(
      fc.record({
        forked: fc.boolean(),
        parent: nat,
        maps: fc.array(fc.tuple(fc.boolean(), fc.boolean(), nat, nat, nat, fc.constantFrom(...PROTS)), {
          maxLength: 3,
        }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    actors: fc.array(fc.tuple(nat, fc.array(rawOp, { maxLength: 5 })), { minLength: 1, maxLength: 3 }),
    setup: fc.array(fc.tuple(nat, rawOp), { maxLength: 3 }),
    conditions: fc.array(fc.tuple(fc.option(fc.string({ maxLength: 6 })), fc.boolean(), nat), {
      minLength: 1,
      maxLength: 3,
    }),
    expects: fc.array(fc.tuple(nat, nat, fc.constantFrom(...EXPECTED_VERDICTS)), { maxLength: 12 }),
  })
  .chain((r) => {
    const files: FileSpec[] = r.files.map((f, i) => ({ name: `f${i}`, ...f }));
    const hugeFiles = files.flatMap((f, i) => (f.fs === 'hugetlbfs' ? [i] : []));
    const plainFiles = files.flatMap((f, i) => (f.fs === 'hugetlbfs' ? [] : [i]));
    const processes: ProcessSpec[] = r.processes.map((p, pi) => {
      const forked = pi > 0 && p.forked;
      const mappings: MappingSpec[] = forked
        ? []
        : p.maps.map(([file, shared, fi, pg, pgoff, prot], mi) => {
            const useFile = file && files.length > 0;
            const fileIdx = useFile ? pick([...hugeFiles, ...plainFiles], fi) : -1;
            const huge = hugeFiles.includes(fileIdx);
            const page: PageSpec = !useFile
              ? pick(anonPages, pg)
              : huge
                ? pick(anonPages.slice(4), pg)
                : pick(anonPages.slice(0, 1), pg); // the page cache holds base pages only
            return {
              name: `b${mi}`,
              backing: useFile ? { type: 'file', file: fileIdx, pgoff: pgoff % 3 } : { type: 'anon' },
              shared,
              page,
              ...protOf(prot),
            };
          });
      return { name: `P${pi}`, mappings, forked };
    });
    // Each forked process's parent is an earlier process; the parent gets an actor if it has none.
    const parent = processes.map((p, i) => (p.forked ? r.processes[i]!.parent % i : -1));
    const actorProcs = r.actors.map(([p]) => p % processes.length);
    for (const pp of parent) if (pp >= 0 && !actorProcs.includes(pp)) actorProcs.push(pp);
    const bufsOf = (p: number): string[] =>
      parent[p]! >= 0 ? bufsOf(parent[p]!) : (processes[p]?.mappings.map((m) => m.name) ?? []);
    let counter = 0;
    const fresh = (): string => `r${counter++}`;
    const pipes = Array.from({ length: r.pipes }, (_, i) => `pipe${i}`);
    const states: ActorState[] = actorProcs.map((p) => ({
      bufs: bufsOf(p),
      files: files.map((f) => f.name),
      fsOf: (name) => files.find((f) => f.name === name)?.fs ?? 'xfs',
      pipes,
      handles: [],
      ios: [],
      regs: [],
    }));
    const setup: (readonly [number, Op])[] = [];
    for (const [a, raw] of r.setup) {
      const candidates = actorProcs.flatMap((p, i) => (processes[p]?.forked ? [] : [i]));
      if (candidates.length === 0) break;
      const actor = pick(candidates, a);
      const st = states[actor]!;
      const before = [st.regs.length, st.handles.length, st.ios.length] as const;
      const op = makeOp(raw, st, fresh);
      if (op && SETUP_REFUSED[op.op] === undefined) setup.push([actor, op]);
      else [st.regs.length, st.handles.length, st.ios.length] = before;
    }
    const actors: ActorSpec[] = actorProcs.map((p, i) => {
      const raws = r.actors[i]?.[1] ?? [];
      const ops = raws.flatMap((raw) => makeOp(raw, states[i]!, fresh) ?? []);
      return { name: `T${i}`, process: p, ops };
    });
    parent.forEach((pp, child) => {
      if (pp < 0) return;
      const a = actorProcs.indexOf(pp);
      const ops = actors[a]!.ops as Op[];
      ops.splice(child % (ops.length + 1), 0, { op: 'fork', child });
      if (child % 2 === 0) ops.push({ op: 'wait', child });
    });
    const program: Program = {
      files,
      processes,
      setup,
      actors,
      ...(r.agents.length > 0 ? { agents: r.agents } : {}),
      ...(pipes.length > 0 ? { pipes } : {}),
    };
    const leaves: Expr[] = [
      ...states.flatMap((st, actor) => st.regs.map((reg): Expr => ({ kind: 'reg', actor, reg }))),
      ...processes.flatMap((_, process) =>
        bufsOf(process).map((buf): Expr => ({ kind: 'mem', process, buf })),
      ),
      ...files.flatMap((f, file) => f.pages.map((_, page): Expr => ({ kind: 'disk', file, page }))),
    ];
    return fc
      .array(propArb(leaves), { minLength: r.conditions.length, maxLength: r.conditions.length })
      .map((props): Scenario => {
        const names = programNames(program);
        const conditions: Condition[] = [];
        r.conditions.forEach(([name, exists], i) => {
          const c = { quantifier: exists ? ('exists' as const) : ('forall' as const), prop: props[i]! };
          const cname = name ?? conditionText(c, names);
          if (!conditions.some((x) => x.name === cname)) conditions.push({ name: cname, ...c });
        });
        const kernels = profileNames();
        const expectations: Expectation[] = [];
        for (const [ci, ki, verdict] of r.expects) {
          const condition = pick(conditions, ci).name;
          const kernel = pick(kernels, ki);
          if (!expectations.some((e) => e.condition === condition && e.kernel === kernel))
            expectations.push({ condition, kernel, verdict });
        }
        expectations.sort(
          (a, b) =>
            conditions.findIndex((c) => c.name === a.condition) -
              conditions.findIndex((c) => c.name === b.condition) ||
            kernels.indexOf(a.kernel) - kernels.indexOf(b.kernel),
        );
        const axes: AxisValue[] = r.axes.map((value, i) => ({ axis: `a${i}`, value }));
        const name = r.base + axisSuffix(axes);
        return {
          id: name,
          name,
          intent: r.intent.join(' '),
          source: r.source.join(' '),
          axes,
          program,
          conditions,
          expectations,
        };
      });
  });
