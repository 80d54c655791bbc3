import { describe, expect, it } from 'vitest';
import { check, type Progress } from '../../src/check/index.js';
import { loadScenarios } from '../../src/cli/library.js';
import { resolveKernels } from '../../src/cli/kernels.js';

describe('progress of the shortest-trace pass', () => {
  it('calls back after the exploration too, marked phase traces, its states counted from the start', () => {
    const loaded = loadScenarios(['scenarios/dio-read-fork.pin']);
    const kernels = resolveKernels(['v6.4'], []);
    if (!loaded.ok || typeof kernels === 'string') throw new Error('the library does not load');
    const s = loaded.scenarios[0];
    const k = kernels[0];
    if (s === undefined || k === undefined) throw new Error('no scenario');
    const seen: Progress[] = [];
    const r = check(s.scenario.program, s.scenario.conditions, k, {
      onProgress: (p) => seen.push(p),
      progressEvery: 1,
    });
    const traces = seen.filter((p) => p.phase === 'traces');
    const explore = seen.filter((p) => p.phase === undefined);
    expect(explore.length).toBeGreaterThan(0);
    expect(traces.length).toBeGreaterThan(0);
    // The trace pass comes after the exploration, and counts its own states from 1.
    expect(seen.indexOf(traces[0] as Progress)).toBeGreaterThan(seen.indexOf(explore.at(-1) as Progress));
    expect(traces.map((p) => p.states)).toEqual(traces.map((_, i) => i + 2));
    expect(traces.at(-1)?.states).toBeLessThanOrEqual(r.states);
  });
});
