import { describe, expect, it } from 'vitest';
import { check, type Trace } from '../../src/check/index.js';
import type { TraceState } from '../../src/check/trace.js';
import { displayName, loadScenarios } from '../../src/cli/library.js';
import { runSuite } from '../../src/suite/run.js';
import { profile } from '../model/harness.js';
import { cve, cveLeak, putOfPin } from './programs.js';

/** What a trace reader sees of one buffer at one moment. */
function pteOf(s: TraceState, process: string, buffer: string): string {
  const p = s.ptes.find((x) => x.process === process);
  if (!p || p.mm === null) return 'no mm';
  const b = p.buffers.find((x) => x.buffer === buffer);
  if (!b) return 'unmapped';
  return b.pte.kind === 'present' ? `folio ${b.pte.folio}` : b.pte.kind;
}

/** The states of a trace, before the first step and after each. */
const states = (t: Trace): TraceState[] => [t.initial, ...t.steps.map((s) => s.state)];

/** The recorded changes and the recorded states must tell the same story. */
function expectConsistent(t: Trace): void {
  t.steps.forEach((s, i) => {
    const before = new Map(states(t)[i]?.folios.map((c) => [c.id, c]));
    const after = new Map(s.state.folios.map((c) => [c.id, c]));
    for (const ch of s.folios) {
      expect(after.get(ch.id) ?? null, `step ${s.step} folio ${ch.id} after`).toEqual(ch.after);
      expect(before.get(ch.id) ?? null, `step ${s.step} folio ${ch.id} before`).toEqual(ch.before);
    }
  });
  for (const s of states(t)) {
    const ids = new Set(s.folios.map((c) => c.id));
    for (const p of s.ptes)
      for (const b of p.buffers) if (b.pte.kind === 'present') expect(ids).toContain(b.pte.folio);
  }
}

describe('traces carry what a viewer needs', () => {
  it('lists the threads, each in its process, then the kernel agents', () => {
    const t = check(cve(), [cveLeak], profile('v5.4')).conditions[0]?.trace;
    expect(t?.actors).toEqual([
      { actor: 0, name: 'T0', kind: 'thread', process: 'P' },
      { actor: 1, name: 'T1', kind: 'thread', process: 'C' },
    ]);
  });

  it("records each process's PTEs before the first step and after every step", () => {
    const t = check(cve(), [cveLeak], profile('v5.4')).conditions[0]?.trace;
    if (!t) throw new Error('no trace');
    expect(pteOf(t.initial, 'P', 'buf')).toMatch(/^folio \d+$/);
    expect(pteOf(t.initial, 'C', 'buf')).toBe('no mm');
    const fork = t.steps.findIndex((s) => s.op === 'fork');
    const munmap = t.steps.findIndex((s) => s.op === 'munmap');
    expect(pteOf(states(t)[fork] as TraceState, 'C', 'buf')).toBe('no mm');
    expect(pteOf(t.steps[fork]?.state as TraceState, 'C', 'buf')).toBe(pteOf(t.initial, 'P', 'buf'));
    expect(pteOf(t.steps[munmap]?.state as TraceState, 'C', 'buf')).not.toMatch(/^folio/);
    expectConsistent(t);
  });

  it('gives the state of every folio the run touches, including one it does not name', () => {
    const loaded = loadScenarios(['scenarios/dio-read-fork.pin'], displayName);
    if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
    const rows = runSuite(loaded.scenarios.slice(0, 1), [profile('v6.4')]);
    const t = rows.find((r) => r.condition === 'lost-dio-data')?.trace;
    if (!t) throw new Error('no lost-dio-data trace');
    expectConsistent(t);
    // The DMA landed in the page the child kept: at the violation the parent maps a COW copy.
    const bad = t.steps.at(-1);
    const folio = bad?.violations[0]?.folios;
    expect(bad?.violations.map((v) => v.invariant)).toEqual(['lost-dio-data']);
    expect(Array.isArray(folio) ? folio : []).toHaveLength(1);
    const dma = `folio ${Array.isArray(folio) ? folio[0] : '?'}`;
    expect(pteOf(bad?.state as TraceState, 'C', 'buf')).toBe(dma);
    expect(pteOf(bad?.state as TraceState, 'P', 'buf')).not.toBe(dma);
    // The parent's write fault replaced the page without naming the old one: its counters still show.
    const cow = t.steps.findIndex((s) => s.fn === 'do_wp_page');
    const old = Number(pteOf(t.initial, 'P', 'buf').split(' ')[1]);
    const mapcount = (s: TraceState): number | undefined => s.folios.find((c) => c.id === old)?.mapcount;
    expect(mapcount(t.steps[cow]?.state as TraceState)).toBe(
      (mapcount(states(t)[cow] as TraceState) ?? 0) - 1,
    );
  });

  it('is deterministic', () => {
    const a = check(putOfPin(), [], profile('v6.1'));
    const b = check(putOfPin(), [], profile('v6.1'));
    const t = a.invariants.find((i) => i.trace !== null)?.trace;
    if (!t) throw new Error('no trace');
    expect(b.invariants.find((i) => i.trace !== null)?.trace).toEqual(t);
    expectConsistent(t);
  });
});
