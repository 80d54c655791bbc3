import { opDef, type Op } from '../model/ops/index.js';
import type { Program } from '../model/engine/program.js';
import type { StepResult, Transition } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';

/**
 * Partial-order reduction by persistent sets of one actor (Godefroid's selective search).
 *
 * In a state s, the single enabled transition t of actor a is explored alone when t is independent of
 * every transition the other actors can take from s, in any order and any number, before a moves.
 * Then {t} is a persistent set: every run from s is equivalent (same steps, independent ones swapped)
 * to one that starts with t, so the reduced search reaches every final and deadlocked state, and every
 * step of every run occurs in an explored equivalent run in the same local state, with the same events.
 *
 * Footprints, cheap and conservative. Resources are actors, process slots, mms, folios, files and swap
 * slots, connected when one reaches the other in s: actor–its process slot (and the slot of a child it
 * still has to fork), slot–mm, mm–folio/swap slot/file through each VMA's entry and backing,
 * file–cached folio, folio–owning file, swap slot–swap-cache folio, actor–folios it holds or keeps in
 * its locals. The zero pages connect nothing. An operation whose definition says its footprint is
 * `actor` (the mm operations, which reach memory only through the actor's own mappings and grabs)
 * touches only its actor's component and fresh allocations. So t is taken alone when:
 *   - a has exactly one enabled transition, with choice 0, running a known operation;
 *   - every other actor that can still run has a process that exists, runs only known operations from
 *     its current one on, and lies in another component (so nothing it will ever do reaches a's);
 *   - t allocates nothing (allocation order names the new folio/mm/swap slot, so two allocating
 *     steps never commute) and touches no zero page, unless no other actor can still run;
 *   - t changed nothing outside a's component (checked on the actual step: a safety net for a model
 *     function that reaches further than the graph says);
 *   - t violates no invariant (an erroring t would hide the other actors' violations behind it), and
 *     t's successor is not on the DFS stack (the cycle proviso; the mm steps never cycle, agents may).
 * Anything unknown (an I/O operation, a `choice`) is treated as dependent on everything, and a
 * program with kernel agents is not reduced at all (their footprints are not derived yet).
 */

/** Whether an operation's steps reach state only through its actor's component (OpDef.footprint). */
function actorBound(op: Op): boolean {
  return opDef(op).footprint === 'actor';
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    let r = x;
    while ((p[r] as number) !== r) r = p[r] as number;
    let i = x;
    while ((p[i] as number) !== r) {
      const next = p[i] as number;
      p[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }
}

interface Layout {
  readonly proc: number;
  readonly mm: number;
  readonly folio: number;
  readonly file: number;
  readonly swap: number;
  readonly total: number;
}

function layout(w: World): Layout {
  const proc = w.actors.length;
  const mm = proc + w.processes.length;
  const folio = mm + w.mms.length;
  const file = folio + w.folios.length;
  const swap = file + w.files.length;
  return { proc, mm, folio, file, swap, total: swap + w.swap.length };
}

function isZero(w: World, id: number): boolean {
  return id === w.zeroPage || id === w.hugeZeroPage;
}

/** The components of s's resources (see the file comment). */
function components(program: Program, w: World, L: Layout): UnionFind {
  const uf = new UnionFind(L.total);
  const folio = (actorOrNode: number, id: unknown): void => {
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < w.folios.length && !isZero(w, id))
      uf.union(actorOrNode, L.folio + id);
  };
  w.actors.forEach((st, a) => {
    const spec = program.actors[a];
    if (spec) {
      uf.union(a, L.proc + spec.process);
      for (let pc = st.pc; pc < spec.ops.length; pc++) {
        const op = spec.ops[pc];
        if (op?.op === 'fork' && op.child < w.processes.length) uf.union(a, L.proc + op.child);
      }
    }
    for (const grab of Object.values(st.held)) for (const id of grab.folios) folio(a, id);
    for (const v of Object.values(st.locals)) {
      if (Array.isArray(v)) for (const id of v as readonly number[]) folio(a, id);
      else folio(a, v);
    }
  });
  w.processes.forEach((mm, p) => {
    if (mm !== null && mm < w.mms.length) uf.union(L.proc + p, L.mm + mm);
  });
  w.mms.forEach((mm, m) => {
    for (const vma of mm.vmas) {
      const pte = vma.pte;
      if (pte.kind === 'present') folio(L.mm + m, pte.folio);
      else if (pte.kind === 'swap' && pte.slot < w.swap.length) uf.union(L.mm + m, L.swap + pte.slot);
      if (vma.backing.type === 'file' && vma.backing.file < w.files.length)
        uf.union(L.mm + m, L.file + vma.backing.file);
    }
  });
  w.files.forEach((f, i) => {
    for (const id of f.cache) if (id !== null) folio(L.file + i, id);
  });
  w.folios.forEach((f, i) => {
    if (f.owner.type === 'file' && f.owner.file < w.files.length && !isZero(w, i))
      uf.union(L.folio + i, L.file + f.owner.file);
  });
  w.swap.forEach((s, i) => {
    if (s.cache !== null) folio(L.swap + i, s.cache);
  });
  return uf;
}

/** Structural equality of plain data (key order ignored). */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlain(a[i], b[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!samePlain(ra[k], rb[k])) return false;
  return true;
}

/** Whether the actor can still take a step some day (not done, process not gone). */
function canStillRun(program: Program, w: World, actor: number): boolean {
  const st = w.actors[actor];
  const spec = program.actors[actor];
  if (!st || st.done || !spec || st.pc >= spec.ops.length) return false;
  const mm = w.processes[spec.process];
  if (mm === null || mm === undefined) return true; // created by a fork still to come
  return w.mms[mm]?.alive ?? false;
}

function otherTopLevelChanged(before: World, after: World): boolean {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const known = new Set([
    'folios',
    'mms',
    'files',
    'swap',
    'processes',
    'actors',
    'zeroPage',
    'hugeZeroPage',
  ]);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!known.has(k) && !samePlain(a[k], b[k])) return true;
  return before.zeroPage !== after.zeroPage || before.hugeZeroPage !== after.hugeZeroPage;
}

/**
 * Whether `t`, the only enabled transition of its actor in `w`, already run to `r`, may be explored
 * alone (a persistent set) — see the file comment. The caller checks the invariants and the stack.
 */
export function independentOfOthers(
  program: Program,
  w: World,
  enabled: readonly Transition[],
  t: Transition,
  r: StepResult,
): boolean {
  const a = t.actor;
  // Kernel agents (device, flusher, bio dirty work) reach bios, dirty page-cache folios and the
  // work lists whatever the components say: with any agent in the program, nothing is reduced.
  if ((program.agents?.length ?? 0) > 0) return false;
  if (t.choice !== 0) return false;
  if (enabled.filter((e) => e.actor === a).length !== 1) return false;
  const spec = program.actors[a];
  const st = w.actors[a];
  const op = spec?.ops[st?.pc ?? -1];
  if (!spec || !op || !actorBound(op)) return false;

  const others: number[] = [];
  for (let b = 0; b < w.actors.length; b++) if (b !== a && canStillRun(program, w, b)) others.push(b);
  if (others.length === 0) return true;

  const after = r.world;
  if (
    after.folios.length !== w.folios.length ||
    after.mms.length !== w.mms.length ||
    after.swap.length !== w.swap.length ||
    after.files.length !== w.files.length ||
    after.processes.length !== w.processes.length ||
    after.actors.length !== w.actors.length
  )
    return false;
  if (r.label.folios.some((id) => isZero(w, id))) return false;
  if (!samePlain(w.folios[w.zeroPage], after.folios[w.zeroPage])) return false;
  if (!samePlain(w.folios[w.hugeZeroPage], after.folios[w.hugeZeroPage])) return false;
  if (otherTopLevelChanged(w, after)) return false;

  const L = layout(w);
  const uf = components(program, w, L);
  const mine = uf.find(a);

  for (const b of others) {
    const bs = program.actors[b];
    const bst = w.actors[b];
    if (!bs || !bst) return false;
    const mm = w.processes[bs.process];
    if (mm === null || mm === undefined) return false;
    for (let pc = bst.pc; pc < bs.ops.length; pc++) {
      const o = bs.ops[pc];
      if (!o || !actorBound(o)) return false;
    }
    if (enabled.some((e) => e.actor === b && e.choice !== 0)) return false;
    if (uf.find(b) === mine) return false;
  }

  // The step's writes must lie in a's component.
  const outside = (node: number): boolean => uf.find(node) !== mine;
  for (let i = 0; i < w.actors.length; i++)
    if (outside(i) && !samePlain(w.actors[i], after.actors[i])) return false;
  for (let i = 0; i < w.processes.length; i++)
    if (outside(L.proc + i) && w.processes[i] !== after.processes[i]) return false;
  for (let i = 0; i < w.mms.length; i++)
    if (outside(L.mm + i) && !samePlain(w.mms[i], after.mms[i])) return false;
  for (let i = 0; i < w.folios.length; i++)
    if (!isZero(w, i) && outside(L.folio + i) && !samePlain(w.folios[i], after.folios[i])) return false;
  for (let i = 0; i < w.files.length; i++)
    if (outside(L.file + i) && !samePlain(w.files[i], after.files[i])) return false;
  for (let i = 0; i < w.swap.length; i++)
    if (outside(L.swap + i) && !samePlain(w.swap[i], after.swap[i])) return false;
  return true;
}
