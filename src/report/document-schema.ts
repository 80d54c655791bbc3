import { z } from 'zod';
import { DOCUMENT_VERSIONS, type DocumentName } from './document.js';
import { endSchema, int, jsonSchemaText, loose, resultSchema, stepSchema, verdictSchema } from './schema.js';

/**
 * The schemas of the JSON documents of explain, diff, bisect, prevent, list, replay, the selftests and the lab
 * (document.ts writes them; schema.ts has the trace file's, whose result and step explain and replay
 * reuse). Objects are loose: readers ignore fields they do not know, so a minor version may add
 * fields. docs/schema/<name>.schema.json holds each as JSON Schema (`npm run schema`, a test keeps
 * them equal).
 */

const str = z.string();

/** A document: `pinlab` 1, its version (major 1), and its fields. */
function documentSchema<T extends z.ZodRawShape>(name: DocumentName, description: string, shape: T) {
  return loose({
    pinlab: z.literal(1),
    schemaVersion: str.regex(/^1\.\d+\.\d+$/),
    ...shape,
  }).meta({ title: `pinlab ${name} --format json`, description });
}

/** A verdict, or `unavailable` (the release cannot run the scenario). */
const rowVerdict = z.union([verdictSchema, z.literal('unavailable')]);

const explain = documentSchema(
  'explain',
  'The shortest trace of the first bad outcome (a trace file result), and with a second release the same interleaving replayed there; null when nothing is to explain.',
  {
    explain: loose({
      result: resultSchema,
      compare: loose({
        kernel: str,
        steps: z.array(stepSchema),
        notEnabledAt: int.nullable(),
        firstDifference: int.nullable(),
      }).nullable(),
    }).nullable(),
  },
);

const diff = documentSchema(
  'diff',
  'The verdicts that differ between two kernels: per scenario and condition, one field per kernel (its verdict, or - when a Ctrl-C left the search out).',
  {
    kernels: z.tuple([str, str]),
    differences: z.array(z.intersection(loose({ scenario: str, condition: str }), z.record(str, str))),
  },
);

const change = loose({ policy: str, value: str });
const source = loose({ where: str, value: str, commit: str });
const policyStep = loose({ policy: str, from: str, to: str, sources: z.array(source) });
const target = { scenario: str, condition: str };

const bisect = documentSchema(
  'bisect',
  'Per group of verdicts that differ between the good and the bad kernel, the smallest set of policy changes that flips them, with the releases and commits that made them.',
  {
    bisect: loose({
      file: str,
      good: str,
      bad: str,
      steps: z.array(policyStep),
      roundTrips: z.array(policyStep),
      groups: z.array(
        loose({
          targets: z.array(loose({ ...target, good: rowVerdict, bad: rowVerdict })),
          culprits: z.array(policyStep).nullable(),
          without: z.array(loose({ change, outcome: str })),
        }),
      ),
    }),
  },
);

const prevent = documentSchema(
  'prevent',
  'The smallest sets of what-if policy values under which every bad outcome of the scenario is never, where each value comes from, and what each set does to the rest of the library.',
  {
    prevent: loose({
      file: str,
      kernel: str,
      maxSize: int,
      candidates: int,
      targets: z.array(loose({ ...target, verdict: rowVerdict })),
      tested: int,
      skipped: int,
      sets: z.array(
        loose({
          set: z.array(change),
          sources: z.array(z.array(source)),
          profiles: z.array(str),
          library: z.array(loose({ ...target, before: str, after: str })),
        }),
      ),
    }),
  },
);

const confidence = z.enum(['H', 'M', 'L']);

const list = documentSchema(
  'list',
  'The built-in scenarios, the kernel profiles (releases, stable series, variants), and every policy with its history (release, value, commit subject) and its value per release.',
  {
    list: loose({
      scenarios: z.array(loose({ id: str, file: str, source: str })),
      profiles: z.array(
        loose({
          name: str,
          release: str,
          kind: z.enum(['release', 'stable', 'variant']),
          names: z.record(str, str),
        }),
      ),
      stableSeries: z.array(
        loose({
          name: str,
          base: str,
          at: str,
          backports: z.array(loose({ policy: str, value: str, commit: str, evidence: str, confidence })),
          names: z.array(loose({ identity: str, name: str, commit: str, evidence: str })),
          unmodelled: z.array(str),
        }),
      ),
      variants: z.array(loose({ name: str, doc: str, base: str, set: z.record(str, str) })),
      policies: z.array(
        loose({
          name: str,
          kernel: str,
          doc: str,
          values: z.array(str),
          history: z.array(loose({ since: str, value: str, commit: str, confidence })),
          perRelease: z.record(str, str),
        }),
      ),
    }),
  },
);

const replay = documentSchema(
  'replay',
  'One interleaving re-run step by step: the scenario, the kernel, the token, how the run ends, and the steps as a trace file holds them.',
  {
    replay: loose({
      scenario: str,
      file: str,
      kernel: str,
      token: str,
      end: endSchema,
      steps: z.array(stepSchema),
    }),
  },
);

const selftest = documentSchema(
  'selftest',
  "pinlab cow and pinlab gup-longterm: the kernel selftest reproduced on the model of each release: the machine it assumed, and per release each test's result.",
  {
    selftest: z.enum(['cow', 'gup-longterm']),
    machine: loose({
      thpSizesKb: z.array(int),
      pmdSizeKb: int,
      hugetlbSizesKb: z.array(int),
      hugetlbPages: z.record(str, int),
      swap: z.boolean(),
      hugeZeropage: z.boolean(),
      gupTest: z.boolean(),
      gupTestStandIn: z.boolean(),
      selftestsOf: str.nullable(),
    }),
    runs: z.array(
      loose({
        kernel: str,
        tests: z.array(
          loose({
            num: int,
            run: str,
            outcome: z.enum(['pass', 'fail', 'xfail', 'skip', 'error']),
            msg: str,
          }),
        ),
      }),
    ),
  },
);

const lab = documentSchema(
  'lab',
  "pinlab lab: per kernel booted (or the host), whether it ran and why not, its packages, and per scenario, disk and condition the model's verdict beside the runs that saw it, then each selftest compared case by case.",
  {
    lab: z.array(
      loose({
        kernel: str,
        profile: str,
        status: z.enum(['ran', 'skipped']),
        why: str,
        packages: z.array(loose({ name: str, version: str })),
        accel: str,
        uname: str.nullable(),
        seconds: int,
        runs: int,
        kmod: str,
        notes: z.array(str),
        rows: z.array(
          loose({
            scenario: str,
            condition: str,
            disk: str,
            model: str,
            kernel: str,
            outcome: z.enum(['agree', 'contradiction', 'note', 'skip', 'refused', 'error', 'unchecked']),
            why: str,
          }),
        ),
        selftests: z.array(
          loose({
            program: str,
            tree: str,
            counts: loose({ agree: int, disagree: int, skipped: int, unmatched: int }),
          }),
        ),
      }),
    ),
  },
);

export const DOCUMENT_SCHEMAS: Readonly<Record<DocumentName, z.ZodType>> = {
  explain,
  diff,
  bisect,
  prevent,
  list,
  replay,
  selftest,
  lab,
};

/** One document's schema as JSON Schema, the text docs/schema/<name>.schema.json holds. */
export function documentJsonSchema(name: DocumentName): string {
  return jsonSchemaText(DOCUMENT_SCHEMAS[name], DOCUMENT_VERSIONS[name]);
}
