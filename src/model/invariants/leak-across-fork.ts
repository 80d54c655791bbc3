import type { Program } from '../engine/program.js';
import type { Invariant, Violation } from './types.js';

/** Whether process `p` was created by a fork op of an actor of process `parent`. */
function forkedFrom(program: Program, p: number, parent: number): boolean {
  return program.actors.some(
    (a) => a.process === parent && a.ops.some((o) => o.op === 'fork' && o.child === p),
  );
}

/** Whether a buffer name is private memory in the program's declared mappings. */
function privateBuf(program: Program, buf: string): boolean {
  const spec = program.processes.flatMap((p) => p.mappings).find((m) => m.name === buf);
  return spec !== undefined && !spec.shared;
}

/**
 * Tokens process `reader` must never see: written into private memory by another process after the
 * two were separated by fork (the child's writes; the parent's writes after its fork of the reader),
 * and written nowhere else (not by the reader, not in setup, not on disk).
 */
function forbiddenTokensOf(program: Program, reader: number): Set<string> {
  const legit = new Set<string>();
  for (const [, op] of program.setup) if (op.op === 'write') legit.add(op.data);
  for (const f of program.files) for (const p of f.pages) legit.add(p);
  const out = new Set<string>();
  for (const a of program.actors) {
    a.ops.forEach((op, k) => {
      if (op.op !== 'write') return;
      if (a.process === reader) {
        legit.add(op.data);
        return;
      }
      if (!privateBuf(program, op.buf)) return;
      const childWrite = forkedFrom(program, a.process, reader);
      const afterFork = a.ops.slice(0, k).some((o) => o.op === 'fork' && o.child === reader);
      if (childWrite || afterFork) out.add(op.data);
    });
  }
  for (const t of legit) out.delete(t);
  return out;
}

/** Per actor of a program, the tokens its registers must never hold (empty sets left out). */
const forbiddenMemo = new WeakMap<Program, readonly (readonly [number, Set<string>])[]>();

function forbiddenByActor(program: Program): readonly (readonly [number, Set<string>])[] {
  let out = forbiddenMemo.get(program);
  if (out === undefined) {
    const perReader = new Map<number, Set<string>>();
    const all = program.actors.map((a, i) => {
      let set = perReader.get(a.process);
      if (set === undefined) perReader.set(a.process, (set = forbiddenTokensOf(program, a.process)));
      return [i, set] as const;
    });
    forbiddenMemo.set(program, (out = all.filter(([, set]) => set.size > 0)));
  }
  return out;
}

/**
 * A process observes (in a register) a write another process made to private memory after fork
 * (CVE-2020-29374; cow's "No leak from parent into child").
 * MODEL: judged from the program text and the actors' registers; writes by another thread of the
 * forking process are not counted (they may precede the fork).
 */
export const leakAcrossFork: Invariant<'forbidden-token-seen'> = {
  name: 'leak-across-fork',
  severity: 'flag',
  scope: 'step',
  doc: 'a process observes a write made by another process after fork',
  check({ program, world }) {
    const out: Violation<'forbidden-token-seen'>[] = [];
    for (const [i, forbidden] of forbiddenByActor(program)) {
      const regs = world.actors[i]?.regs ?? {};
      for (const reg in regs) {
        const value = regs[reg] as string;
        if (forbidden.has(value))
          out.push({
            code: 'forbidden-token-seen',
            invariant: 'leak-across-fork',
            folios: [],
            what: `${reg}=${value}`,
          });
      }
    }
    return out;
  },
};
