import type { World } from '../model/core/world.js';
import { EIOCBQUEUED } from '../model/include/errno.js';
import { propExprs, type Condition, type Expr } from './condition.js';
import { evalExpr } from './evaluate.js';

/**
 * herd7's list of final states: each distinct tuple of the values the conditions read (registers,
 * buffers, disk pages) with how many distinct final Worlds end with it. The search keeps at most
 * OUTCOME_LIMIT tuples; the final Worlds of any further tuple are counted in `unlisted`.
 */
export const OUTCOME_LIMIT = 4096;

export interface Outcome {
  /** One value per read, in the order of `observedReads`; null: unset, unmapped or beyond the file. */
  readonly values: readonly (string | null)[];
  /** Distinct final Worlds ending with these values. */
  readonly count: number;
}

export interface Outcomes {
  readonly list: readonly Outcome[];
  /** Final Worlds whose tuple the list had no room for. */
  readonly unlisted: number;
}

/** The distinct values the conditions read, in their first order (literals and unnamed registers left out). */
export function observedReads(conditions: readonly Condition[]): Expr[] {
  const seen = new Map<string, Expr>();
  for (const e of conditions.flatMap((c) => propExprs(c.prop)))
    if (e.kind !== 'lit' && !(e.kind === 'reg' && e.actor < 0)) seen.set(JSON.stringify(e), e);
  return [...seen.values()];
}

/** Counts tuples of final values as a search meets new final Worlds. */
export class OutcomeCounter {
  private readonly counts = new Map<string, number>();
  private unlisted = 0;

  constructor(private readonly reads: readonly Expr[]) {}

  add(world: World): void {
    const key = JSON.stringify(this.reads.map((e) => evalExpr(world, e)));
    const n = this.counts.get(key);
    if (n !== undefined) this.counts.set(key, n + 1);
    else if (this.counts.size < OUTCOME_LIMIT) this.counts.set(key, 1);
    else this.unlisted += 1;
  }

  result(): Outcomes {
    return mergeOutcomes([
      {
        list: [...this.counts].map(([k, count]) => ({ values: JSON.parse(k) as (string | null)[], count })),
        unlisted: this.unlisted,
      },
    ]);
  }
}

/** Several searches' outcomes as one (threads of a search): counts summed, sorted by values. */
export function mergeOutcomes(parts: readonly Outcomes[]): Outcomes {
  const counts = new Map<string, Outcome>();
  for (const o of parts.flatMap((p) => p.list)) {
    const key = JSON.stringify(o.values);
    counts.set(key, { values: o.values, count: (counts.get(key)?.count ?? 0) + o.count });
  }
  const order = (v: string | null): string => (v === null ? '' : `~${v}`);
  const list = [...counts.values()].sort((a, b) => {
    for (let i = 0; i < a.values.length; i++) {
      const x = order(a.values[i] ?? null);
      const y = order(b.values[i] ?? null);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  return { list, unlisted: parts.reduce((n, p) => n + p.unlisted, 0) };
}

/** An operation of a thread that returned an error in some explored step (`--states` aside: warnings). */
export interface FailedOp {
  readonly actor: number;
  /** The operation's index in the thread, and its name. */
  readonly pc: number;
  readonly op: string;
  /** The errors it returned (negative errnos), sorted. */
  readonly errnos: readonly number[];
  /** Whether it failed every time it ran. */
  readonly always: boolean;
}

/** Failed operations by thread and operation: a step returning a negative value failed. */
export class FailureCounter {
  private readonly seen = new Map<
    string,
    { actor: number; pc: number; op: string; errnos: Set<number>; ok: boolean }
  >();

  constructor(private readonly threads: number) {}

  add(label: { actor: number; pc: number; op: string; ret: number | null }): void {
    if (label.actor >= this.threads) return;
    const key = `${label.actor}\t${label.pc}`;
    // -EIOCBQUEUED is no failure: the async I/O was queued and completes later.
    const failed = label.ret !== null && label.ret < 0 && label.ret !== -EIOCBQUEUED;
    const e = this.seen.get(key) ?? { ...label, errnos: new Set<number>(), ok: false };
    if (failed) e.errnos.add(label.ret as number);
    else e.ok = true;
    this.seen.set(key, e);
  }

  result(): FailedOp[] {
    return mergeFailures([
      [...this.seen.values()].map((e) => ({
        actor: e.actor,
        pc: e.pc,
        op: e.op,
        errnos: [...e.errnos],
        always: !e.ok,
      })),
    ]);
  }
}

/** Several searches' failures as one: errnos united, `always` only if every part that ran it failed. */
export function mergeFailures(parts: readonly (readonly FailedOp[])[]): FailedOp[] {
  const by = new Map<string, FailedOp>();
  for (const f of parts.flat()) {
    const key = `${f.actor}\t${f.pc}`;
    const e = by.get(key);
    by.set(
      key,
      e === undefined
        ? f
        : { ...e, errnos: [...new Set([...e.errnos, ...f.errnos])], always: e.always && f.always },
    );
  }
  return [...by.values()]
    .filter((f) => f.errnos.length > 0)
    .map((f) => ({ ...f, errnos: [...f.errnos].sort((a, b) => b - a) }))
    .sort((a, b) => a.actor - b.actor || a.pc - b.pc);
}
