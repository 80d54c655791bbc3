import type { FolioCounters, ProcessPtes, TraceActor, TracePage, TraceState } from '../../src/check/trace.js';
import type { Pte } from '../../src/model/include/mm_types.js';
import type { FileStep, TraceFile, TraceResult } from '../../src/report/trace-file.js';

/**
 * What the viewer shows at one step, read from the trace file alone: the viewer interprets no kernel
 * rule, it only lines up the recorded states and marks what differs from the step before.
 */

/** One scenario and condition (or invariant), with its result on each kernel of the file. */
export interface TraceGroup {
  readonly key: string;
  readonly scenario: string;
  readonly condition: string;
  readonly kind: TraceResult['kind'];
  readonly results: readonly TraceResult[];
}

/** The groups that have a run on at least one kernel, in file order. */
export function traceGroups(file: TraceFile): TraceGroup[] {
  const groups = new Map<string, TraceResult[]>();
  for (const r of file.results) {
    const key = `${r.scenario}\u0000${r.kind}\u0000${r.condition}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .filter(([, rs]) => rs.some((r) => r.trace !== null))
    .map(([key, rs]) => {
      const first = rs[0] as TraceResult;
      return { key, scenario: first.scenario, condition: first.condition, kind: first.kind, results: rs };
    });
}

/** The group to open first: one whose verdict is not the expected one, else the first. */
export function firstGroup(groups: readonly TraceGroup[]): number {
  const i = groups.findIndex((g) => g.results.some((r) => r.ok === false && r.trace !== null));
  return Math.max(0, i);
}

/** A run's kernel to open first: the first kernel with a run. */
export function firstResult(g: TraceGroup): number {
  return Math.max(
    0,
    g.results.findIndex((r) => r.trace !== null),
  );
}

/** A run to show: who steps, the steps, and the state before the first (a trace's, or the explorer's). */
export interface Run {
  readonly actors: readonly TraceActor[];
  readonly steps: readonly FileStep[];
  readonly initial: TraceState;
}

/** A result that has a run, with its parts known present. */
export interface TraceRun extends Run {
  readonly result: TraceResult;
}

export function runOf(r: TraceResult): TraceRun | null {
  return r.trace && r.initial
    ? { result: r, actors: r.actors ?? [], steps: r.trace, initial: r.initial }
    : null;
}

/** The state after step `k` (0: before the first step). */
export function stateAt(run: Run, k: number): TraceState {
  return k === 0 ? run.initial : (run.steps[k - 1]?.state ?? run.initial);
}

export type FolioField = 'refcount' | 'mapcount' | 'pincount' | 'flags' | 'data';

export interface FolioRow {
  readonly id: number;
  /** The folio's counters at the step, or null when it is not allocated yet. */
  readonly now: FolioCounters | null;
  /** Fields that differ from the step before (all of them for a folio the step allocated). */
  readonly changed: ReadonlySet<FolioField>;
  /** The step names this folio (its kernel function touched it). */
  readonly touched: boolean;
  /** An invariant violated at this step names this folio. */
  readonly violated: boolean;
}

export function setFlags(c: FolioCounters): string[] {
  return Object.entries(c.flags)
    .filter(([, on]) => on)
    .map(([name]) => name);
}

const FIELDS: readonly FolioField[] = ['refcount', 'mapcount', 'pincount', 'flags', 'data'];

function fieldText(c: FolioCounters, f: FolioField): string {
  if (f === 'flags') return `${setFlags(c).join(' ')}${c.freed ? ' freed' : ''}`;
  return String(c[f]);
}

/** The folio ids a violation's detail names (`folio: 3`, `folios: [2, 3]`). */
export function violatedFolios(run: Run, k: number): Set<number> {
  const ids = new Set<number>();
  for (const v of run.steps[k - 1]?.violations ?? [])
    for (const [key, val] of Object.entries(v.detail)) {
      if (key === 'folio' && typeof val === 'number') ids.add(val);
      if (key === 'folios' && Array.isArray(val))
        for (const id of val as unknown[]) if (typeof id === 'number') ids.add(id);
    }
  return ids;
}

/** One row per folio the trace shows, in id order, at step `k`. */
export function folioRows(run: Run, k: number): FolioRow[] {
  const now = new Map(stateAt(run, k).folios.map((c) => [c.id, c]));
  const before = new Map(k === 0 ? [] : stateAt(run, k - 1).folios.map((c) => [c.id, c]));
  const ids = new Set(run.steps.flatMap((s) => s.state.folios.map((c) => c.id)));
  for (const c of run.initial.folios) ids.add(c.id);
  const touched = new Set(run.steps[k - 1]?.folios.map((f) => f.id) ?? []);
  const violated = violatedFolios(run, k);
  return [...ids]
    .sort((a, b) => a - b)
    .map((id) => {
      const c = now.get(id) ?? null;
      const b = before.get(id) ?? null;
      const changed = new Set(
        k === 0 || !c ? [] : FIELDS.filter((f) => !b || fieldText(b, f) !== fieldText(c, f)),
      );
      return { id, now: c, changed, touched: touched.has(id), violated: violated.has(id) };
    });
}

export function pteText(pte: Pte): string {
  switch (pte.kind) {
    case 'none':
      return 'none';
    case 'present':
      return [
        `folio ${pte.folio}`,
        pte.writable ? 'writable' : 'read-only',
        ...(pte.dirty ? ['dirty'] : []),
        ...(pte.huge ? ['huge'] : []),
      ].join(', ');
    case 'swap':
      return `swap slot ${pte.slot}${pte.exclusive ? ', exclusive' : ''}`;
  }
}

export interface PteRow {
  readonly process: string;
  /** The buffer's name, or null for a process with no address space (not forked yet, or exited). */
  readonly buffer: string | null;
  readonly text: string;
  readonly changed: boolean;
}

function processRows(p: ProcessPtes): { buffer: string | null; text: string }[] {
  if (p.mm === null) return [{ buffer: null, text: 'not forked yet' }];
  if (!p.alive) return [{ buffer: null, text: 'exited' }];
  if (p.buffers.length === 0) return [{ buffer: null, text: 'no buffers mapped' }];
  return p.buffers.map((b) => ({ buffer: b.buffer, text: pteText(b.pte) }));
}

/** Each process's buffers and their page-table entries at step `k`, marked where they changed. */
export function pteRows(run: Run, k: number): PteRow[] {
  const key = (process: string, buffer: string | null): string => `${process}\u0000${buffer ?? ''}`;
  const before = new Map<string, string>();
  if (k > 0)
    for (const p of stateAt(run, k - 1).ptes)
      for (const r of processRows(p)) before.set(key(p.process, r.buffer), r.text);
  return stateAt(run, k).ptes.flatMap((p) =>
    processRows(p).map((r) => ({
      process: p.process,
      buffer: r.buffer,
      text: r.text,
      changed: k > 0 && before.get(key(p.process, r.buffer)) !== r.text,
    })),
  );
}

/** A violated invariant or a condition's outcome, shown at the step where it happens. */
export interface Finding {
  readonly name: string;
  readonly kind: 'invariant' | 'condition' | 'deadlock';
  readonly text: string;
}

export function detailText(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') || 'none' : String(v)}`)
    .join(' ');
}

/** What goes wrong at step `k`: the step's violations, and at the last step how the run ends. */
/** The invariants step `k` violates. */
export function violationsAt(run: Run, k: number): Finding[] {
  return (run.steps[k - 1]?.violations ?? []).map((v) => ({
    name: v.invariant,
    kind: 'invariant',
    text: detailText(v.detail),
  }));
}

export function findingsAt(run: TraceRun, k: number): Finding[] {
  const r = run.result;
  const out = violationsAt(run, k);
  if (k !== run.steps.length) return out;
  if (r.end === 'deadlock') out.push({ name: 'deadlock', kind: 'deadlock', text: 'no step can run' });
  const named = run.steps.some((s) => s.violations.some((v) => v.invariant === r.condition));
  if (r.kind === 'invariant' && !named)
    out.push({ name: r.condition, kind: 'invariant', text: 'violated in the final state' });
  if (r.kind === 'condition' && r.end === 'quiescent')
    out.push({
      name: r.condition,
      kind: 'condition',
      text:
        r.verdict === 'never'
          ? 'does not hold in this final state (a counterexample)'
          : r.verdict === 'inconclusive'
            ? 'the final state of this run (a bound stopped the search: the verdict is open)'
            : 'holds in this final state',
    });
  return out;
}

/** The kernel's names of the bio flags the model records. */
const BIO_FLAG_NAMES: Readonly<Record<string, string>> = {
  noPageRef: 'BIO_NO_PAGE_REF',
  pagePinned: 'BIO_PAGE_PINNED',
  pageReffed: 'BIO_PAGE_REFFED',
  cloned: 'BIO_CLONED',
};

const pagesText = (pages: readonly TracePage[]): string =>
  pages.map((p) => `folio ${p.folio} (${p.grab})`).join(', ');

/** How a holder grabbed a page, in the words the bios' and pipes' pages use. */
const GRAB_WORDS: Readonly<Record<string, string>> = { get: 'ref', pin: 'pin', none: 'none' };

/** One kind of kernel object the World holds beside folios and page tables, as a table. */
export interface ObjectKind {
  readonly title: string;
  readonly columns: readonly string[];
  /** Each object's key and its cells, the key first; `actor` names an actor by its scheduler index. */
  readonly rows: (s: TraceState, actor: (i: number) => string) => readonly (readonly string[])[];
}

export const OBJECT_KINDS: readonly ObjectKind[] = [
  {
    title: 'Bios',
    columns: ['bio', 'op', 'state', 'flags', 'pages'],
    rows: (s) =>
      s.bios.map((b) => [
        String(b.id),
        b.dio === null ? b.op : `${b.op} (dio ${b.dio})`,
        b.state,
        Object.entries(b.flags)
          .filter(([, on]) => on)
          .map(([name]) => BIO_FLAG_NAMES[name] ?? name)
          .join(' '),
        pagesText(b.pages),
      ]),
  },
  {
    title: 'Direct I/O',
    columns: ['dio', 'handle', 'path', 'op', 'bios', 'pending', 'done', 'result'],
    rows: (s) =>
      s.dios.map((d) => [
        String(d.id),
        d.name,
        d.path,
        d.async ? `${d.op} async` : d.op,
        d.bios.join(', '),
        String(d.pending),
        d.done ? 'yes' : 'no',
        d.ret === null ? '' : String(d.ret),
      ]),
  },
  {
    title: 'Pipes',
    columns: ['pipe', 'name', 'buffers'],
    rows: (s) => s.pipes.map((p) => [String(p.id), p.name, pagesText(p.bufs)]),
  },
  {
    title: 'io_uring registered buffers',
    columns: ['index', 'pages', 'held by'],
    rows: (s) => s.uring.map((u) => [String(u.index), u.folios.map((f) => `folio ${f}`).join(', '), u.grab]),
  },
  {
    title: 'Files',
    columns: ['file', 'name', 'fs', 'page cache', 'on disk', 'stable writes'],
    rows: (s) =>
      s.files.map((f) => [
        String(f.id),
        f.name,
        f.fs,
        f.cache.map((p) => `[${p.index}] folio ${p.folio}${p.flags.map((x) => ` ${x}`).join('')}`).join('; '),
        f.disk.map((d, i) => `[${i}] ${d}`).join(' '),
        f.stableWrites ? 'yes' : 'no',
      ]),
  },
  {
    title: 'Swap slots',
    columns: ['slot', 'contents', 'swap count', 'swap cache'],
    rows: (s) =>
      s.swap.map((x) => [String(x.id), x.data, String(x.count), x.cache === null ? '' : `folio ${x.cache}`]),
  },
  {
    title: 'Held by actors',
    columns: ['actor', 'grabs', 'registers'],
    rows: (s, actor) =>
      s.holds.map((h) => [
        actor(h.actor),
        h.grabs
          .map(
            (g) =>
              `${g.name}: ${g.folios.map((f) => `folio ${f}`).join(', ')} (${GRAB_WORDS[g.mode] ?? g.mode})`,
          )
          .join('; '),
        Object.entries(h.regs)
          .map(([r, v]) => `${r}=${v}`)
          .join(' '),
      ]),
  },
];

export interface ObjectRow {
  readonly key: string;
  readonly cells: readonly string[];
  /** Per cell after the key: whether this step changed it (every cell of a new object). */
  readonly changed: readonly boolean[];
}

/** One row per object of a kind at step `k`, with the cells this step changed. */
export function objectRows(run: Run, k: number, kind: ObjectKind): ObjectRow[] {
  const actor = (i: number): string => run.actors.find((a) => a.actor === i)?.name ?? `#${i}`;
  const rowsAt = (j: number): readonly (readonly string[])[] => kind.rows(stateAt(run, j), actor);
  const before = new Map(k === 0 ? [] : rowsAt(k - 1).map((r) => [r[0], r]));
  return rowsAt(k).map((r) => {
    const was = before.get(r[0]);
    const cells = r.slice(1);
    return { key: r[0] ?? '', cells, changed: cells.map((c, i) => k > 0 && was?.[i + 1] !== c) };
  });
}
