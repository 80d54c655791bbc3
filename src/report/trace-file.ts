import type { TraceActor, TraceEnd, TraceState, TraceStep } from '../check/trace.js';
import type { Violation } from '../model/invariants/index.js';
import type { Row } from '../suite/run.js';

/**
 * The trace file: one JSON object, `{ "pinlab": 1, "results": [...] }`, written by
 * `pinlab check --format json` and `pinlab explain --out FILE`, read by `pinlab view`.
 *
 * Each result is one verdict (a scenario on a kernel, for one condition or invariant). A result with a
 * shortest run carries it whole, so a reader needs nothing else to show it:
 * - `trace`: the numbered steps (actor, kernel function, calls, return value, each touched folio's
 *   counters before and after, model events, invariant violations, and the state after the step: every
 *   process's PTEs, the bios, DIOs, pipes, io_uring buffers, files (page cache, disk), swap slots and
 *   what each actor holds);
 * - `actors`: the scenario's threads, then its kernel agents, by scheduler index;
 * - `initial`: the counters of every folio the run touches or maps that exists before step 1, and
 *   every process's PTEs then;
 * - `end`: how the run ends; `replay`: the token `pinlab replay` takes;
 * - `failed` (1.2.0): each thread operation that returned an error in the search (thread, line from
 *   1, operation, errnos, whether always), the same for every result of the search;
 * - `deadlock` (1.2.0): null, or the threads that cannot step in the search's shortest deadlock
 *   (thread, process, line, operation, step, what it waits on, why: waits, no-process or exited).
 * - `quantifier` (1.3.0): a condition's `exists` (it states a bad outcome) or `forall` (a good one);
 *   null for an invariant.
 * At the top, `interrupted` (1.4.0), only when a Ctrl-C stopped the run: how many (scenario, release)
 * searches ran of how many, and the pairs left out (they have no results).
 * Without a run, `trace`, `end`, `actors` and `initial` are null. Readers ignore fields they do not know.
 */
export interface TraceResult extends Omit<
  Row,
  'trace' | 'ms' | 'depth' | 'tableBytes' | 'witnesses' | 'finals' | 'failed' | 'deadlock' | 'quantifier'
> {
  /** A condition's quantifier, null for an invariant (absent before 1.3.0). */
  readonly quantifier?: Row['quantifier'];
  /** The threads' operations that returned an error in the search (absent before 1.2.0). */
  readonly failed?: Row['failed'];
  /** Where the search deadlocked, which thread waits on what (absent before 1.2.0). */
  readonly deadlock?: Row['deadlock'];
  /** herd7's Positive and Negative counts of a condition (absent in files written before them). */
  readonly witnesses?: Row['witnesses'];
  /** The search's wall time, or null when the file was written without timings. */
  readonly ms: number | null;
  readonly trace: readonly FileStep[] | null;
  readonly end: TraceEnd | null;
  readonly actors: readonly TraceActor[] | null;
  readonly initial: TraceState | null;
}

/** A violation as the file shows it: the invariant, and a detail of scalars and folio lists. */
export interface FileViolation {
  readonly invariant: string;
  readonly detail: Readonly<Record<string, string | number | boolean | null | readonly number[]>>;
}

/** A trace step as the file holds it. */
export interface FileStep extends Omit<TraceStep, 'violations'> {
  readonly violations: readonly FileViolation[];
}

/** A violation in the file's shape: its reason and folios as the detail (the code stays out of version 1). */
export function fileViolation(v: Violation): FileViolation {
  return { invariant: v.invariant, detail: { what: v.what, folios: v.folios } };
}

export function fileStep(s: TraceStep): FileStep {
  return { ...s, violations: s.violations.map(fileViolation) };
}

/**
 * The trace file's schema version (semver; report/schema.ts, docs/schema/): the minor grows when
 * fields are added, the major (with `pinlab`) when a reader of the previous version would misread it.
 */
export const SCHEMA_VERSION = '1.4.0';

export interface TraceFile {
  readonly pinlab: 1;
  /** SCHEMA_VERSION of the writer (absent in files written before 1.1.0). */
  readonly schemaVersion?: string;
  readonly results: readonly TraceResult[];
  /** `check --states`: each search's distinct final states (report/final-states.ts). */
  readonly finalStates?: readonly FinalStatesEntry[];
  /** A run a Ctrl-C stopped (1.4.0): the searches run of all, and the (scenario, release) pairs left out. */
  readonly interrupted?: Interrupted;
}

export interface Interrupted {
  readonly run: number;
  readonly searches: number;
  readonly notRun: readonly { readonly scenario: string; readonly kernel: string }[];
}

export interface FinalStatesEntry {
  readonly scenario: string;
  readonly kernel: string;
  /** The values the conditions read, as the scenario writes them. */
  readonly reads: readonly string[];
  /** Sorted by value; each with the number of distinct final states that end with it. */
  readonly states: readonly {
    readonly values: Readonly<Record<string, string | null>>;
    readonly count: number;
  }[];
  /** Final states the search's list (4096 distinct value tuples) had no room for. */
  readonly unlisted: number;
}

export type TraceFileParse =
  { readonly ok: true; readonly file: TraceFile } | { readonly ok: false; readonly error: string };

/** A shape check: null when `v` fits, else what is wrong and where (`results[0].trace[3].fn: ...`). */
type Check = (v: unknown, at: string) => string | null;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const is =
  (what: string, test: (v: unknown) => boolean): Check =>
  (v, at) =>
    test(v) ? null : `${at}: expected ${what}`;

const str = is('a string', (v) => typeof v === 'string');
const bool = is('true or false', (v) => typeof v === 'boolean');
const int = is('an integer', (v) => Number.isSafeInteger(v));
const num = is('a number', (v) => typeof v === 'number' && Number.isFinite(v));
const oneOf = (...xs: string[]): Check =>
  is(`one of ${xs.join(', ')}`, (v) => typeof v === 'string' && xs.includes(v));
/** A value of a violation's detail or a model event: a scalar or a list of folio ids. */
const scalar = is(
  'a string, number, boolean, null or list of integers',
  (v) =>
    v === null ||
    ['string', 'number', 'boolean'].includes(typeof v) ||
    (Array.isArray(v) && v.every((x) => Number.isSafeInteger(x))),
);

const nullable =
  (c: Check): Check =>
  (v, at) =>
    v === null ? null : c(v, at);

const arrayOf =
  (c: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) return `${at}: expected a list`;
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${at}[${i}]`);
      if (e !== null) return e;
    }
    return null;
  };

const object =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, at) => {
    if (!isRecord(v)) return `${at}: expected an object`;
    for (const [k, c] of Object.entries(fields)) {
      const e = c(v[k], `${at}.${k}`);
      if (e !== null) return e;
    }
    return null;
  };

const recordOf =
  (c: Check): Check =>
  (v, at) => {
    if (!isRecord(v)) return `${at}: expected an object`;
    for (const [k, x] of Object.entries(v)) {
      const e = c(x, `${at}.${k}`);
      if (e !== null) return e;
    }
    return null;
  };

const both =
  (a: Check, b: Check): Check =>
  (v, at) =>
    a(v, at) ?? b(v, at);

/** A tagged union: `kind` picks the fields to check. */
const variants =
  (cases: Readonly<Record<string, Readonly<Record<string, Check>>>>): Check =>
  (v, at) => {
    if (!isRecord(v)) return `${at}: expected an object`;
    const kind = typeof v.kind === 'string' && Object.hasOwn(cases, v.kind) ? v.kind : null;
    if (kind === null) return `${at}.kind: expected one of ${Object.keys(cases).join(', ')}`;
    return object(cases[kind] ?? {})(v, at);
  };

const counters = object({
  id: int,
  kind: str,
  order: int,
  refcount: int,
  mapcount: int,
  pincount: int,
  flags: recordOf(bool),
  data: str,
  freed: bool,
});

const pte = variants({
  none: {},
  present: { folio: int, writable: bool, dirty: bool, huge: bool },
  swap: { slot: int, exclusive: bool },
});

const processPtes = object({
  process: str,
  mm: nullable(int),
  alive: bool,
  buffers: arrayOf(object({ buffer: str, pte })),
});

const page = object({ folio: int, grab: str });

const bio = object({
  id: int,
  op: str,
  state: str,
  flags: recordOf(bool),
  pages: arrayOf(page),
  dio: nullable(int),
});

const dio = object({
  id: int,
  name: str,
  path: str,
  op: str,
  async: bool,
  bios: arrayOf(int),
  pending: int,
  done: bool,
  ret: nullable(int),
});

const state = object({
  folios: arrayOf(counters),
  ptes: arrayOf(processPtes),
  bios: arrayOf(bio),
  dios: arrayOf(dio),
  pipes: arrayOf(object({ id: int, name: str, bufs: arrayOf(page) })),
  uring: arrayOf(object({ index: int, folios: arrayOf(int), grab: str })),
  files: arrayOf(
    object({
      id: int,
      name: str,
      fs: str,
      cache: arrayOf(object({ index: int, folio: int, flags: arrayOf(str) })),
      disk: arrayOf(str),
      stableWrites: bool,
    }),
  ),
  swap: arrayOf(object({ id: int, data: str, count: int, cache: nullable(int) })),
  holds: arrayOf(
    object({
      actor: int,
      regs: recordOf(str),
      grabs: arrayOf(object({ name: str, folios: arrayOf(int), mode: str })),
    }),
  ),
});

const step = object({
  step: int,
  actor: int,
  actorName: str,
  op: str,
  fn: str,
  calls: arrayOf(str),
  ret: nullable(int),
  folios: arrayOf(object({ id: int, before: nullable(counters), after: nullable(counters) })),
  events: arrayOf(both(object({ type: str }), recordOf(scalar))),
  violations: arrayOf(object({ invariant: str, detail: recordOf(scalar) })),
  state,
});

const VERDICTS = ['never', 'sometimes', 'always', 'inconclusive'];

const result = object({
  scenario: str,
  kernel: str,
  condition: str,
  kind: oneOf('condition', 'invariant'),
  verdict: oneOf(...VERDICTS, 'unavailable'),
  expected: nullable(oneOf(...VERDICTS)),
  ok: nullable(bool),
  states: int,
  transitions: int,
  ms: nullable(num),
  bound: nullable(str),
  reason: nullable(str),
  trace: nullable(arrayOf(step)),
  end: nullable(oneOf('quiescent', 'deadlock', 'violation', 'running')),
  actors: nullable(
    arrayOf(object({ actor: int, name: str, kind: oneOf('thread', 'agent'), process: nullable(str) })),
  ),
  initial: nullable(state),
  replay: nullable(str),
});

/** A run needs its actors and start state to be shown. */
const complete: Check = (v, at) =>
  isRecord(v) && v.trace !== null && (v.actors === null || v.initial === null || v.end === null)
    ? `${at}: a result with a trace needs its end, actors and initial state`
    : null;

/** How deep a trace file's arrays and objects may nest: pinlab writes 11 levels. */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests arrays and objects deeper than `limit` (strings skipped, one pass, no recursion). */
export function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if (c === ']' || c === '}') depth--;
  }
  return false;
}

/**
 * Read a trace file from untrusted text: its nesting is bounded (deeper values would overflow the
 * stack of whatever walks them, JSON.stringify included), its shape is checked field by field (extra
 * fields are ignored), and the first problem is reported with where it is.
 */
export function parseTraceFile(text: string): TraceFileParse {
  if (nestsDeeper(text, MAX_JSON_DEPTH))
    return { ok: false, error: `not a pinlab trace file: nested deeper than ${MAX_JSON_DEPTH} levels` };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isRecord(v) || v.pinlab !== 1)
    return { ok: false, error: 'not a pinlab trace file: expected an object with "pinlab": 1' };
  const e = arrayOf(both(result, complete))(v.results, 'results');
  return e === null ? { ok: true, file: v as unknown as TraceFile } : { ok: false, error: e };
}
