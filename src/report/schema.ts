import { z } from 'zod';
import { SCHEMA_VERSION } from './trace-file.js';

/**
 * The trace file's schema (trace-file.ts describes the file; parseTraceFile reads it without zod):
 * what `pinlab check --format json` and `pinlab explain --out` write. Objects are loose: readers
 * ignore fields they do not know, so a minor version may add fields. docs/schema/ holds it as JSON
 * Schema (`npm run schema` writes it, a test keeps it equal).
 */

export const int = z.int();
export const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(int)]);

const counters = loose({
  id: int,
  kind: z.string(),
  order: int,
  refcount: int,
  mapcount: int,
  pincount: int,
  flags: z.record(z.string(), z.boolean()),
  data: z.string(),
  freed: z.boolean(),
});

const pte = z.discriminatedUnion('kind', [
  loose({ kind: z.literal('none') }),
  loose({
    kind: z.literal('present'),
    folio: int,
    writable: z.boolean(),
    dirty: z.boolean(),
    huge: z.boolean(),
  }),
  loose({ kind: z.literal('swap'), slot: int, exclusive: z.boolean() }),
]);

const page = loose({ folio: int, grab: z.string() });

const state = loose({
  folios: z.array(counters),
  ptes: z.array(
    loose({
      process: z.string(),
      mm: int.nullable(),
      alive: z.boolean(),
      buffers: z.array(loose({ buffer: z.string(), pte })),
    }),
  ),
  bios: z.array(
    loose({
      id: int,
      op: z.string(),
      state: z.string(),
      flags: z.record(z.string(), z.boolean()),
      pages: z.array(page),
      dio: int.nullable(),
    }),
  ),
  dios: z.array(
    loose({
      id: int,
      name: z.string(),
      path: z.string(),
      op: z.string(),
      async: z.boolean(),
      bios: z.array(int),
      pending: int,
      done: z.boolean(),
      ret: int.nullable(),
    }),
  ),
  pipes: z.array(loose({ id: int, name: z.string(), bufs: z.array(page) })),
  uring: z.array(loose({ index: int, folios: z.array(int), grab: z.string() })),
  files: z.array(
    loose({
      id: int,
      name: z.string(),
      fs: z.string(),
      cache: z.array(loose({ index: int, folio: int, flags: z.array(z.string()) })),
      disk: z.array(z.string()),
      stableWrites: z.boolean(),
    }),
  ),
  swap: z.array(loose({ id: int, data: z.string(), count: int, cache: int.nullable() })),
  holds: z.array(
    loose({
      actor: int,
      regs: z.record(z.string(), z.string()),
      grabs: z.array(loose({ name: z.string(), folios: z.array(int), mode: z.string() })),
    }),
  ),
});

export const stepSchema = loose({
  step: int,
  actor: int,
  actorName: z.string(),
  op: z.string(),
  fn: z.string(),
  calls: z.array(z.string()),
  ret: int.nullable(),
  folios: z.array(loose({ id: int, before: counters.nullable(), after: counters.nullable() })),
  events: z.array(z.intersection(loose({ type: z.string() }), z.record(z.string(), scalar))),
  violations: z.array(loose({ invariant: z.string(), detail: z.record(z.string(), scalar) })),
  state,
});

/** How a run ends. */
export const endSchema = z.enum(['quiescent', 'deadlock', 'violation', 'running']);

export const verdictSchema = z.enum(['never', 'sometimes', 'always', 'inconclusive']);

export const resultSchema = loose({
  scenario: z.string(),
  kernel: z.string(),
  condition: z.string(),
  kind: z.enum(['condition', 'invariant']),
  // 1.3.0: a condition's quantifier (exists: a bad outcome; forall: a good one), null for an invariant.
  quantifier: z.enum(['exists', 'forall']).nullable().optional(),
  verdict: z.union([verdictSchema, z.literal('unavailable')]),
  expected: verdictSchema.nullable(),
  ok: z.boolean().nullable(),
  states: int,
  transitions: int,
  witnesses: loose({ satisfy: int, violate: int }).nullable().optional(),
  // 1.2.0: each thread operation that returned an error in the search (line from 1, errnos negative).
  failed: z
    .array(
      loose({ thread: z.string(), line: int, op: z.string(), errnos: z.array(int), always: z.boolean() }),
    )
    .optional(),
  // 1.2.0: the threads that cannot step in the search's shortest deadlock, or null.
  deadlock: z
    .array(
      loose({
        thread: z.string(),
        process: z.string(),
        line: int,
        op: z.string(),
        step: z.string(),
        on: z.string(),
        why: z.enum(['waits', 'no-process', 'exited']),
      }),
    )
    .nullable()
    .optional(),
  ms: z.number().nullable(),
  bound: z.string().nullable(),
  reason: z.string().nullable(),
  trace: z.array(stepSchema).nullable(),
  end: endSchema.nullable(),
  actors: z
    .array(
      loose({
        actor: int,
        name: z.string(),
        kind: z.enum(['thread', 'agent']),
        process: z.string().nullable(),
      }),
    )
    .nullable(),
  initial: state.nullable(),
  replay: z.string().nullable(),
});

const finalStates = loose({
  scenario: z.string(),
  kernel: z.string(),
  reads: z.array(z.string()),
  states: z.array(loose({ values: z.record(z.string(), z.string().nullable()), count: int })),
  unlisted: int,
});

export const traceFileSchema = loose({
  pinlab: z.literal(1),
  schemaVersion: z
    .string()
    .regex(/^1\.\d+\.\d+$/)
    .optional(),
  results: z.array(resultSchema),
  finalStates: z.array(finalStates).optional(),
  // 1.4.0: a run a Ctrl-C stopped: the searches run of all, and the pairs left out.
  interrupted: loose({
    run: int,
    searches: int,
    notRun: z.array(loose({ scenario: z.string(), kernel: z.string() })),
  }).optional(),
}).meta({
  title: 'pinlab trace file',
  description:
    'pinlab check --format json and pinlab explain --out: one result per verdict, with its shortest trace.',
});

/**
 * A schema as JSON Schema (draft 2020-12) with its version, the text docs/schema/ holds: shared parts
 * (a step, a state) are written once, as `$defs`.
 */
export function jsonSchemaText(schema: z.ZodType, version: string): string {
  return `${JSON.stringify({ ...z.toJSONSchema(schema, { reused: 'ref' }), 'x-schemaVersion': version }, null, 2)}\n`;
}

/** The trace file's schema as JSON Schema, the text docs/schema/trace-file.schema.json holds. */
export function traceFileJsonSchema(): string {
  return jsonSchemaText(traceFileSchema, SCHEMA_VERSION);
}
