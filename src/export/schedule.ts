/**
 * The interleaving the model found, widened for a real kernel: the order in which the trace starts each
 * thread's operations becomes gates at operation starts. Op `op` of `actor` waits until thread `other`
 * has started (or, with `finished`, completed) `count` operations. A real kernel's steps inside an op
 * cannot be held, so an op the trace runs in the middle of another thread's op starts right after that
 * op starts: e.g. a fork placed between a read's submission and its completion.
 */
export interface Gate {
  readonly actor: number;
  readonly op: number;
  readonly other: number;
  readonly finished: boolean;
  readonly count: number;
}

/** A model trace as the gates need it: which actor ran which of its ops, step by step. */
export type StepOrder = readonly { readonly actor: number; readonly pc: number }[];

/** The gates that make a run follow a trace at op granularity; `threads` is the number of thread actors. */
export function gatesOf(trace: StepOrder, threads: number): Gate[] {
  const steps = trace.filter((s) => s.actor < threads && s.pc >= 0);
  const last = new Map<string, number>();
  steps.forEach((s, i) => last.set(`${s.actor}:${s.pc}`, i));
  const gates: Gate[] = [];
  // Per (actor, other): the strongest gate already placed, as a rank (started n: 2n-1, finished n: 2n).
  const placed = new Map<string, number>();
  steps.forEach((s, i) => {
    const first = steps.findIndex((t) => t.actor === s.actor && t.pc === s.pc);
    if (first !== i) return;
    for (let other = 0; other < threads; other++) {
      if (other === s.actor) continue;
      let prevIndex = -1;
      for (let j = 0; j < i; j++) if (steps[j]?.actor === other) prevIndex = j;
      const prev = steps[prevIndex];
      if (prev === undefined) continue;
      const finished = last.get(`${other}:${prev.pc}`) === prevIndex;
      const count = prev.pc + 1;
      const rank = 2 * count - (finished ? 0 : 1);
      const key = `${s.actor}:${other}`;
      if ((placed.get(key) ?? 0) >= rank) continue;
      placed.set(key, rank);
      gates.push({ actor: s.actor, op: s.pc, other, finished, count });
    }
  });
  return gates;
}

/** A trace of the model and where it comes from (`the model's trace to leak on v6.4`). */
export interface SourcedTrace {
  readonly steps: StepOrder;
  readonly from: string;
}

/** The distinct gate sets of several traces (one without gates is the free schedule, left out). */
export function schedules(
  traces: readonly SourcedTrace[],
  threads: number,
): { readonly gates: Gate[]; readonly from: string }[] {
  const seen = new Set<string>();
  const out: { gates: Gate[]; from: string }[] = [];
  for (const t of traces) {
    const gates = gatesOf(t.steps, threads);
    const key = JSON.stringify(gates);
    if (gates.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push({ gates, from: t.from });
  }
  return out;
}
