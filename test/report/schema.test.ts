import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceFileJsonSchema, traceFileSchema } from '../../src/report/schema.js';
import { SCHEMA_VERSION } from '../../src/report/trace-file.js';
import { cli } from '../cli/helpers.js';

const FILES = ['scenarios/dio-read-fork.pin', 'scenarios/vmsplice-child-unmap.pin'];

/** The first problem zod finds, or null. */
function problem(v: unknown): string | null {
  const r = traceFileSchema.safeParse(v);
  return r.success ? null : `${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`;
}

describe('the trace file schema', () => {
  it("holds check's JSON: results with traces, witnesses and final states, and the schema version", () => {
    const r = cli('check', ...FILES, '--kernel', 'v6.4,v6.5', '--states', '--quiet', '--format', 'json');
    const j = JSON.parse(r.out) as { schemaVersion: string; results: { trace: unknown }[] };
    expect(j.schemaVersion).toBe(SCHEMA_VERSION);
    expect(j.results.filter((x) => x.trace !== null).length).toBeGreaterThan(0);
    expect(problem(j)).toBeNull();
  });

  it('holds the trace file explain --out writes', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pinlab-schema-')), 'trace.json');
    const r = cli('explain', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4', '--quiet', '--out', out);
    expect(r.code).toBe(0);
    expect(problem(JSON.parse(readFileSync(out, 'utf8')))).toBeNull();
  });

  it('rejects what a reader would misread', () => {
    const r = cli(
      'explain',
      'scenarios/dio-read-fork.pin',
      '--kernel',
      'v6.4',
      '--quiet',
      '--format',
      'json',
    );
    const result = (JSON.parse(r.out) as { explain: { result: { trace: { ret: unknown }[] } } }).explain
      .result;
    const file = { pinlab: 1, schemaVersion: SCHEMA_VERSION, results: [result] };
    expect(problem(file)).toBeNull();
    const step = result.trace[0] as { ret: unknown };
    step.ret = '-22';
    expect(problem(file)).toMatch(/^results\.0\.trace\.0\.ret: /);
    expect(problem({ ...file, results: [], pinlab: 2 })).toMatch(/^pinlab: /);
    expect(problem({ ...file, schemaVersion: '2.0.0' })).toMatch(/^schemaVersion: /);
  });

  it('is published in docs/schema as generated (npm run schema)', () => {
    const committed: unknown = JSON.parse(readFileSync('docs/schema/trace-file.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(traceFileJsonSchema()));
    expect(committed).toMatchObject({ 'x-schemaVersion': SCHEMA_VERSION, title: 'pinlab trace file' });
  });
});
