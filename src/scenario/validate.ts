import { INVARIANTS } from '../model/invariants/index.js';
import type { Policies } from '../model/profile/policies/index.js';
import { opDef, type Op } from '../model/ops/index.js';
import { anonOrderUnavailable } from '../model/mm/anon-orders.js';
import { HPAGE_PMD_ORDER } from '../model/include/mm_types.js';
import type { DioPath } from '../model/include/blk_types.js';
import type { FsType } from '../model/include/fs.js';
import { dioPathUnavailable, fsDioPaths } from '../model/fs/dio-path.js';
import type { ScenarioAst } from './ast.js';
import { excerpt, scenarioError, unknownMessage, type Pos, type ScenarioError } from './errors.js';
import { conditionText, type Names } from './printer.js';
import { HUGETLB_ORDERS, pageWord } from './pages.js';
import type { ParsedScenario } from './types.js';

/**
 * Semantic checks on a parsed scenario, each error at the name it is about: the required parts are
 * there, names are unique and declared, every buffer an operation uses is mapped in its thread's
 * process, handles are created before they are used, every forked process is forked exactly once,
 * conditions read registers their thread sets, and expectations name conditions and kernels once.
 */

/** Names a process or thread may not take (they mean something else in a condition). */
const RESERVED_SCOPES = ['disk'];

/**
 * Operations setup cannot run: setup runs each operation to its end in one step, before the threads
 * start. The rest finish in one step (test/scenario/validate.test.ts runs each in setup on every profile).
 */
export const SETUP_REFUSED: Partial<Readonly<Record<Op['op'], string>>> = {
  dio: 'it takes several steps (submission and completion); put it in a thread',
  fsync: 'it takes several steps (writeback and its wait); put it in a thread',
  'try-get': 'it takes several steps; put it in a thread',
  'uring-rw': 'it takes several steps (submission and completion); put it in a thread',
  exit: `the thread's process would be gone before its operations run; put it in a thread`,
  wait: 'it waits for a forked child, and no child runs before the threads start; put it in a thread',
  recv: 'it waits for the NIC to transmit, and no agent runs in setup; put it in a thread',
  errqueue: 'it waits for the NIC to free the skb, and no agent runs in setup; put it in a thread',
  'kernel-aio': 'it takes several steps (submission and completion); put it in a thread',
  'sg-io': 'it takes several steps (submission and completion); put it in a thread',
};

/** Invariants an `expect` line may name instead of a condition. */
export const INVARIANT_NAMES: readonly string[] = INVARIANTS.map((i) => i.name);

export function astNames(ast: ScenarioAst): Names {
  return {
    actor: (i) => ast.threads[i]?.name ?? `?${i}`,
    process: (i) => ast.processes[i]?.name ?? `?${i}`,
    file: (i) => ast.files[i]?.name ?? `?${i}`,
  };
}

/** The name a condition goes by: its `as NAME`, or its text. */
export function conditionNames(ast: ScenarioAst): string[] {
  const n = astNames(ast);
  return ast.conditions.map((c) => c.name?.name ?? conditionText(c, n));
}

export function validate(ast: ScenarioAst, file: string, end: Pos): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const err = (at: Pos, message: string, expected?: readonly string[]): void => {
    errors.push(scenarioError(file, at, message, expected));
  };
  const top = ast.name?.at ?? { line: 1, col: 1 };

  // ---- required parts ----
  if (!ast.name)
    err({ line: 1, col: 1 }, `missing 'scenario NAME' line: every scenario file starts with one`);
  if (!ast.intent)
    err(top, `missing 'intent:': a paragraph saying what the scenario does and what goes wrong`, ['intent:']);
  if (!ast.source)
    err(top, `missing 'source:': the seed message, commit or CVE the scenario comes from`, ['source:']);
  if (ast.processes.length === 0) err(end, `missing 'process NAME': a scenario needs at least one process`);
  if (ast.threads.length === 0)
    err(end, `missing 'thread NAME in PROCESS': a scenario needs at least one thread`, ['thread']);
  if (ast.conditions.length === 0)
    err(end, `missing a condition: 'exists (PROP)' or 'forall (PROP)' says what to look for`, [
      'exists',
      'forall',
    ]);

  // ---- unique names ----
  const once = (what: string, items: readonly { name: string; at: Pos }[]): void => {
    const first = new Map<string, Pos>();
    for (const it of items) {
      const prev = first.get(it.name);
      if (prev)
        err(it.at, `duplicate ${what} '${excerpt(it.name)}' (the first is at ${prev.line}:${prev.col})`);
      else first.set(it.name, it.at);
    }
  };
  once('file', ast.files);
  once('pipe', ast.pipes);
  once(
    'process or thread name',
    [...ast.processes, ...ast.threads].sort((a, b) => cmpPos(a.at, b.at)),
  );
  for (const p of ast.processes)
    once(
      `buffer in process ${excerpt(p.name)}`,
      p.mappings.map((m) => ({ ...m.spec, at: m.at })),
    );
  once(
    'condition name',
    ast.conditions.flatMap((c) => (c.name ? [c.name] : [])),
  );
  for (const x of [...ast.processes, ...ast.threads])
    if (RESERVED_SCOPES.includes(x.name))
      err(
        x.at,
        `'${excerpt(x.name)}' cannot name a process or thread: 'disk:FILE[N]' reads a file's disk in conditions`,
      );

  // ---- mappings ----
  for (const p of ast.processes) {
    if (p.forked && p.mappings.length > 0)
      err(
        p.mappings[0]?.at ?? p.at,
        `process ${excerpt(p.name)} is forked: it inherits its parent's mappings and declares none`,
      );
    for (const m of p.mappings) {
      const at = m.pageAt ?? m.at;
      const { page, backing } = m.spec;
      const fs = backing.type === 'file' ? ast.files[backing.file]?.fs : undefined;
      if (page.kind === 'hugetlb' && !HUGETLB_ORDERS.includes(page.order))
        err(at, `no ${pageWord(page)} pages on x86-64: hugetlb pages are 2M or 1G`, [
          'hugetlb-2M',
          'hugetlb-1G',
        ]);
      if (page.kind === 'thp' && page.order > HPAGE_PMD_ORDER)
        err(at, `a THP is at most PMD-sized (2M); for 1G pages use hugetlb-1G`, ['thp', 'hugetlb-1G']);
      // THP_ORDERS_ALL_ANON leaves out orders 0 and 1 on every release with mTHP (include/linux/huge_mm.h:75
      // in the 6.12 tree, :79 in the 7.2 tree).
      if (page.kind === 'thp' && page.order < 2 && backing.type !== 'file')
        err(at, `an anonymous THP is at least 16K (order 2): the kernel allocates no ${pageWord(page)} one`, [
          'thp-16K',
          'thp-pte',
        ]);
      // MODEL: the page cache holds small folios (filemap_get_folio() allocates order 0 outside hugetlbfs).
      if (backing.type === 'file' && page.kind === 'thp')
        err(
          at,
          `pinlab models no large page-cache folios: a file mapping (${fs ?? '?'}) takes base pages, not ${pageWord(page)}`,
          ['base'],
        );
      if (backing.type === 'file' && page.kind === 'hugetlb' && fs !== 'hugetlbfs')
        err(at, `a hugetlb mapping of a file needs a hugetlbfs file (memfd MFD_HUGETLB), not ${fs ?? '?'}`);
      if (fs === 'hugetlbfs' && page.kind !== 'hugetlb')
        err(m.at, `a hugetlbfs file is mapped with hugetlb pages: add page=hugetlb-2M or page=hugetlb-1G`, [
          'page=hugetlb-2M',
          'page=hugetlb-1G',
        ]);
    }
  }

  // ---- operations the model cannot honour on the file they name (refused, not approximated) ----
  const fileFs = (name: string): FsType | undefined => ast.files.find((f) => f.name === name)?.fs;
  for (const stmt of [...ast.setup.map((s) => s.stmt), ...ast.threads.flatMap((t) => t.ops)]) {
    const why = fileOpRefusal(stmt.op, fileFs);
    if (why !== null) err(stmt.at, why);
  }

  // ---- forks: each forked process is forked once, by a thread of another process ----
  const parent = new Map<number, number>();
  const forkedAt = new Map<number, Pos>();
  const allOps = [
    ...ast.setup.map((s) => ({ actor: s.actor, stmt: s.stmt })),
    ...ast.threads.flatMap((t, actor) => t.ops.map((stmt) => ({ actor, stmt }))),
  ];
  for (const { actor, stmt } of allOps)
    for (const r of stmt.refs) {
      if (r.kind !== 'fork') continue;
      const child = ast.processes[r.process];
      const from = ast.threads[actor]?.process ?? -1;
      if (!child) continue;
      const prev = forkedAt.get(r.process);
      if (!child.forked)
        err(
          r.at,
          `process ${excerpt(child.name)} is not declared forked: write 'process ${excerpt(child.name)} forked'`,
        );
      else if (prev)
        err(r.at, `process ${excerpt(child.name)} is already forked at ${prev.line}:${prev.col}`);
      else if (from === r.process) err(r.at, `process ${excerpt(child.name)} cannot fork itself`);
      else {
        parent.set(r.process, from);
        forkedAt.set(r.process, r.at);
      }
    }
  ast.processes.forEach((p, i) => {
    if (p.forked && !forkedAt.has(i))
      err(
        p.at,
        `process ${excerpt(p.name)} is declared forked, but no operation forks it (add 'fork ${excerpt(p.name)}')`,
      );
  });

  /** The buffers a process has: its own mappings, or its parent's (transitively) when it is forked. */
  const buffers = (proc: number, seen: ReadonlySet<number> = new Set()): string[] => {
    const p = ast.processes[proc];
    if (!p || seen.has(proc)) return [];
    if (!p.forked) return p.mappings.map((m) => m.spec.name);
    const from = parent.get(proc);
    return from === undefined ? [] : buffers(from, new Set([...seen, proc]));
  };
  const bufError = (at: Pos, name: string, proc: number): void => {
    const p = ast.processes[proc];
    const known = buffers(proc);
    const whose = p?.forked
      ? `process ${excerpt(p.name)} (inherited from its parent)`
      : `process ${excerpt(p?.name ?? '?')}`;
    err(at, `${unknownMessage(`buffer in ${whose}`, name, known)}`, known);
  };

  // ---- setup ----
  for (const s of ast.setup) {
    const t = ast.threads[s.actor];
    const p = t ? ast.processes[t.process] : undefined;
    if (t && p?.forked)
      err(
        s.actorAt,
        `setup runs before any fork: thread ${excerpt(t.name)} is in forked process ${excerpt(p.name)}`,
      );
    const why = SETUP_REFUSED[s.stmt.op.op];
    if (why !== undefined) err(s.stmt.at, `'${s.stmt.op.op}' cannot run in setup: ${why}`);
  }

  // ---- operations: buffers, handles, registers ----
  const regs = ast.threads.map(() => new Set<string>());
  ast.threads.forEach((t, actor) => {
    const handles = new Set<string>();
    const ios = new Set<string>();
    const stmts = [...ast.setup.filter((s) => s.actor === actor).map((s) => s.stmt), ...t.ops];
    for (const stmt of stmts)
      for (const r of stmt.refs)
        switch (r.kind) {
          case 'buf':
            if (!buffers(t.process).includes(r.name)) bufError(r.at, r.name, t.process);
            break;
          case 'handle-use':
            if (!handles.has(r.name))
              err(
                r.at,
                `handle '${excerpt(r.name)}' is used before an operation of thread ${excerpt(t.name)} creates it ('get BUF as ${excerpt(r.name)}' or 'pin BUF as ${excerpt(r.name)}')`,
                [...handles],
              );
            break;
          case 'handle-def':
            handles.add(r.name);
            break;
          case 'reg-def':
            regs[actor]?.add(r.name);
            break;
          case 'io-def':
            ios.add(r.name);
            regs[actor]?.add(r.name);
            break;
          case 'io-use':
            if (!ios.has(r.name))
              err(
                r.at,
                `'${excerpt(r.name)}' names no asynchronous I/O started earlier by thread ${excerpt(t.name)}`,
                [...ios],
              );
            break;
          case 'wait':
            if (!ast.processes[r.process]?.forked)
              err(
                r.at,
                `'wait' waits for a forked child: process ${excerpt(ast.processes[r.process]?.name ?? '?')} is not forked`,
              );
            break;
          case 'fork':
          case 'pipe':
            break;
        }
  });

  // ---- conditions ----
  for (const c of ast.conditions)
    for (const r of c.refs)
      switch (r.kind) {
        case 'reg': {
          const t = ast.threads[r.actor];
          const known = [...(regs[r.actor] ?? [])];
          if (t && !known.includes(r.reg))
            err(r.at, `thread ${excerpt(t.name)} never sets register '${excerpt(r.reg)}'`, known);
          break;
        }
        case 'mem':
          if (!buffers(r.process).includes(r.buf)) bufError(r.at, r.buf, r.process);
          break;
        case 'disk': {
          const f = ast.files[r.file];
          if (f && r.page >= f.pages.length)
            err(
              r.at,
              `file ${excerpt(f.name)} has ${f.pages.length} page(s): disk:${excerpt(f.name)}[${r.page}] is past its end`,
            );
          break;
        }
      }

  // ---- expectations: of a condition, or of an invariant by its name ----
  const names = conditionNames(ast);
  const seen = new Map<string, Pos>();
  for (const e of ast.expects) {
    let cond: string | undefined;
    if (e.condition === null) {
      if (names.length === 1) cond = names[0];
      else if (names.length > 1)
        err(e.at, `name the condition this expectation is about: the scenario has ${names.length}`, names);
    } else if (names.includes(e.condition.name) || INVARIANT_NAMES.includes(e.condition.name))
      cond = e.condition.name;
    else err(e.condition.at, unknownMessage('condition or invariant', e.condition.name, names), names);
    if (cond === undefined) continue;
    for (const it of e.items) {
      const key = `${cond}\u0000${it.kernel}`;
      const prev = seen.get(key);
      if (prev)
        err(
          it.at,
          `${it.kernel} already has an expected verdict for this condition (at ${prev.line}:${prev.col})`,
        );
      else seen.set(key, it.at);
    }
  }
  return errors;
}

/**
 * Why an operation cannot run on the file it names in any release, or null: a direct-I/O path that is
 * not the file's filesystem's (fsDioPaths), a loop / LIO backing file or direct I/O where pinlab models
 * no direct I/O (tmpfs, hugetlbfs), and FICLONERANGE on NFS (the server's CLONE decides).
 */
function fileOpRefusal(op: Op, fileFs: (name: string) => FsType | undefined): string | null {
  const pathWhy = (path: DioPath, file: string): string | null => {
    const fs = fileFs(file);
    if (fs === undefined) return null;
    const paths = fsDioPaths(fs);
    if (paths.length === 0)
      return `pinlab models no direct I/O on ${fs}: ${excerpt(file)} has no device to do it to`;
    return paths.includes(path)
      ? null
      : `the kernel runs ${fs}'s direct I/O through ${paths.map((p) => `'${p}'`).join(' or ')}, not '${path}' (file ${excerpt(file)})`;
  };
  if (op.op === 'dio' || op.op === 'uring-rw') return pathWhy(op.path, op.file);
  if (op.op === 'kernel-aio') {
    const fs = fileFs(op.file);
    return fs !== undefined && fsDioPaths(fs).length === 0
      ? `the ${op.driver === 'loop' ? 'loop device' : 'SCSI target'} does direct I/O to its backing file, and pinlab models none on ${fs}`
      : null;
  }
  if (op.op === 'remap' && !op.dedupe && (fileFs(op.file) === 'nfs' || fileFs(op.dst) === 'nfs'))
    return "FICLONERANGE on NFS is the server's CLONE operation (nfs42_remap_file_range): pinlab models no server that clones";
  return null;
}

function cmpPos(a: Pos, b: Pos): number {
  return a.line - b.line || a.col - b.col;
}

/**
 * Operations a kernel profile cannot run (pin_user_pages before it existed, ...), each at its position:
 * for the checker, which reports them instead of verdicts on that profile.
 */
export function unavailableOps(parsed: ParsedScenario, policies: Policies, profile: string): ScenarioError[] {
  const { scenario, where } = parsed;
  const out: ScenarioError[] = [];
  const check = (op: Parameters<typeof opDef>[0], at: Pos | undefined): void => {
    const why = opDef(op).unavailable(policies, op);
    if (why !== null && at) out.push(scenarioError(where.file, at, `not on ${profile}: ${why}`));
  };
  const files = scenario.program.files;
  const pathCheck = (op: Parameters<typeof opDef>[0], at: Pos | undefined): void => {
    if (op.op !== 'dio' && op.op !== 'uring-rw') return;
    const fs = files.find((f) => f.name === op.file)?.fs;
    const why = fs === undefined ? null : dioPathUnavailable(policies, fs, op.path);
    if (why !== null && at) out.push(scenarioError(where.file, at, `not on ${profile}: ${why}`));
  };
  scenario.program.setup.forEach(([, op], i) => check(op, where.setup[i]));
  scenario.program.actors.forEach((a, ai) => a.ops.forEach((op, oi) => pathCheck(op, where.ops[ai]?.[oi])));
  scenario.program.actors.forEach((a, ai) => a.ops.forEach((op, oi) => check(op, where.ops[ai]?.[oi])));
  scenario.program.processes.forEach((p, pi) =>
    p.mappings.forEach((m, mi) => {
      const why = anonOrderUnavailable(
        policies,
        m.backing.type === 'anon',
        m.page.kind === 'thp' ? m.page.order : null,
      );
      const at = where.mappings[pi]?.[mi];
      if (why !== null && at) out.push(scenarioError(where.file, at, `not on ${profile}: ${why}`));
    }),
  );
  return out;
}
