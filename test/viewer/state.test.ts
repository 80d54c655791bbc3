import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTraceFile, type TraceFile } from '../../src/report/trace-file.js';
import {
  findingsAt,
  firstGroup,
  firstResult,
  folioRows,
  pteRows,
  runOf,
  traceGroups,
  type TraceRun,
} from '../../viewer/src/state.js';
import { dioReadForkTrace } from './fixtures.js';

let cached: TraceFile | undefined;
function file(): TraceFile {
  if (cached) return cached;
  const r = parseTraceFile(readFileSync(dioReadForkTrace('v6.4,v6.5'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return (cached = r.file);
}

function firstRun(): TraceRun {
  const groups = traceGroups(file());
  const g = groups[firstGroup(groups)];
  const r = g?.results[firstResult(g)];
  const run = r ? runOf(r) : null;
  if (!run) throw new Error('no run');
  return run;
}

describe('what the viewer shows at a step', () => {
  it('groups results by scenario and condition, one entry per kernel, and opens a kernel with a run', () => {
    const groups = traceGroups(file());
    expect(groups.map((g) => g.condition)).toEqual([
      'sync-parent-lost',
      'async-parent-lost',
      'lost-dio-data',
    ]);
    expect(groups[0]?.results.map((r) => [r.kernel, r.trace !== null])).toEqual([
      ['v6.4', true],
      ['v6.5', false],
    ]);
    expect(firstRun().result.kernel).toBe('v6.4');
  });

  it('marks the cells a step changed, the folios it names, and those a violation names', () => {
    const run = firstRun();
    const k = run.steps.findIndex((s) => s.violations.length > 0) + 1;
    expect(k).toBeGreaterThan(0);
    const rows = folioRows(run, k);
    const bad = rows.filter((r) => r.violated);
    expect(bad.map((r) => r.id)).toEqual([2]);
    expect([...(bad[0]?.changed ?? [])]).toContain('refcount');
    expect(rows.filter((r) => r.touched).map((r) => r.id)).toEqual(run.steps[k - 1]?.folios.map((f) => f.id));
    expect(folioRows(run, 0).every((r) => r.changed.size === 0 && !r.touched && !r.violated)).toBe(true);
    // A folio the run allocates later is listed, not yet allocated, from the start.
    expect(folioRows(run, 0).some((r) => r.now === null)).toBe(true);
  });

  it("shows each process's entries and marks the ones a step changed", () => {
    const run = firstRun();
    expect(pteRows(run, 0).map((r) => [r.process, r.buffer, r.text])).toEqual([
      ['P', 'buf', 'folio 2, writable, dirty'],
      ['P', 'abuf', 'folio 3, writable, dirty'],
      ['C', null, 'not forked yet'],
    ]);
    const fork = run.steps.findIndex((s) => s.op === 'fork') + 1;
    const rows = pteRows(run, fork);
    expect(rows.filter((r) => r.changed).map((r) => `${r.process} ${r.buffer ?? ''}`)).toEqual([
      'P buf',
      'P abuf',
      'C buf',
      'C abuf',
    ]);
    expect(rows.find((r) => r.process === 'C' && r.buffer === 'buf')?.text).toBe('folio 2, read-only, dirty');
  });

  it('names the violated invariant at its step and the condition at the final state', () => {
    const run = firstRun();
    const k = run.steps.findIndex((s) => s.violations.length > 0) + 1;
    expect(findingsAt(run, k).map((f) => [f.kind, f.name])).toEqual([['invariant', 'lost-dio-data']]);
    expect(findingsAt(run, k - 1)).toEqual([]);
    expect(findingsAt(run, run.steps.length).map((f) => `${f.name}: ${f.text}`)).toContain(
      'sync-parent-lost: holds in this final state',
    );
  });
});
