import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_VERSIONS, type DocumentName } from '../../src/report/document.js';
import { DOCUMENT_SCHEMAS, documentJsonSchema } from '../../src/report/document-schema.js';
import { jsonReport } from '../../src/lab/report.js';
import { cli } from '../cli/helpers.js';

const FILE = 'scenarios/dio-read-fork.pin';
const SMALL = '--thp-sizes 2048 --hugetlb-sizes 2048';

/** Each document's command on the library (its arguments, split at spaces), run with --format json. */
const RUNS: readonly (readonly [DocumentName, string])[] = [
  ['explain', `explain ${FILE} --kernel v6.4,v6.5 --axis path=iomap --quiet`],
  ['explain', `explain ${FILE} --kernel v6.5 --condition sync-parent-lost --quiet`],
  ['diff', `diff ${FILE} --kernel v6.4 --kernel v6.5 --quiet`],
  ['bisect', `bisect ${FILE} --good v6.5 --bad v6.4`],
  ['prevent', `prevent ${FILE} --kernel v6.4`],
  ['list', 'list'],
  ['replay', 'replay dio-read-fork[path=blkdev]@v6.4:0.1.1'],
  ['selftest', `cow --kernel v6.1,v6.12 ${SMALL}`],
  ['selftest', `gup-longterm --kernel v6.12 ${SMALL}`],
];

/** The first problem the document's schema finds, or null. */
function problem(name: DocumentName, v: unknown): string | null {
  const r = DOCUMENT_SCHEMAS[name].safeParse(v);
  return r.success ? null : `${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`;
}

/** A command's JSON document, parsed. */
function document(command: string): Record<string, unknown> {
  const r = cli(...command.split(' '), '--format', 'json');
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Record<string, unknown>;
}

describe('the JSON documents of the commands', () => {
  it.each(RUNS)('%s: what `pinlab %s --format json` prints holds, with its version', (name, command) => {
    const doc = document(command);
    expect(doc).toMatchObject({ pinlab: 1, schemaVersion: DOCUMENT_VERSIONS[name] });
    expect(problem(name, doc)).toBeNull();
  });

  it("explain's null and its trace are told apart: a document of each kind was checked", () => {
    const [found, none] = RUNS.filter(([n]) => n === 'explain').map(
      ([, command]) => document(command).explain,
    );
    expect(found).toMatchObject({ result: { verdict: 'sometimes' }, compare: { kernel: 'v6.5' } });
    expect(none).toBeNull();
  });

  it('lab: a kernel it could not fetch holds (test/process/lab.test.ts checks the kernels that ran)', () => {
    const skipped = {
      kernel: '6.1',
      profile: 'v6.1.y',
      status: 'skipped' as const,
      why: 'apt-get update of bookworm failed: no network',
      packages: [],
      accel: '-',
      uname: null,
      seconds: 0,
      runs: 20,
      kmod: '-',
      notes: [],
      rows: [],
      selftests: [],
    };
    const doc = JSON.parse(jsonReport([skipped])) as Record<string, unknown>;
    expect(doc).toMatchObject({ pinlab: 1, schemaVersion: DOCUMENT_VERSIONS.lab });
    expect(problem('lab', doc)).toBeNull();
    expect(problem('lab', { ...doc, lab: [{ ...skipped, status: 'maybe' }] })).toMatch(/^lab\.0\.status: /);
  });

  it('rejects what a reader would misread', () => {
    const doc = document('replay dio-read-fork[path=blkdev]@v6.4:0.1.1');
    expect(problem('replay', { ...doc, pinlab: 2 })).toMatch(/^pinlab: /);
    expect(problem('replay', { ...doc, schemaVersion: '2.0.0' })).toMatch(/^schemaVersion: /);
    const replay = doc.replay as { steps: { ret: unknown }[] };
    expect(problem('replay', { ...doc, replay: { ...replay, end: 'done' } })).toMatch(/^replay\.end: /);
    const step = { ...replay.steps[0], ret: '-22' };
    expect(problem('replay', { ...doc, replay: { ...replay, steps: [step] } })).toMatch(
      /^replay\.steps\.0\.ret: /,
    );
    const diff = document(`diff ${FILE} --kernel v6.4 --kernel v6.5 --quiet`);
    expect(problem('diff', { ...diff, kernels: ['v6.4'] })).toMatch(/^kernels: /);
  });

  it.each(Object.keys(DOCUMENT_VERSIONS) as DocumentName[])(
    '%s is published in docs/schema as generated (npm run schema)',
    (name) => {
      const committed: unknown = JSON.parse(readFileSync(`docs/schema/${name}.schema.json`, 'utf8'));
      expect(committed).toEqual(JSON.parse(documentJsonSchema(name)));
      expect(committed).toMatchObject({ 'x-schemaVersion': DOCUMENT_VERSIONS[name] });
    },
  );
});
