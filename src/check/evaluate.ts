import { peekBuffer } from '../model/engine/observe.js';
import type { World } from '../model/core/world.js';
import type { Expr, Prop } from './condition.js';

/**
 * A condition's value in a final state. A register never written, a buffer the process does not map
 * (or a process that does not exist) and a page beyond the file all read as null, which equals only null.
 */
export function evalExpr(w: World, e: Expr): string | null {
  switch (e.kind) {
    case 'reg':
      return w.actors[e.actor]?.regs[e.reg] ?? null;
    case 'mem':
      return peekBuffer(w, w.processes[e.process] ?? null, e.buf);
    case 'disk':
      return w.files[e.file]?.disk[e.page] ?? null;
    case 'lit':
      return e.value;
  }
}

export function evalProp(w: World, p: Prop): boolean {
  switch (p.kind) {
    case 'eq':
      return evalExpr(w, p.left) === evalExpr(w, p.right);
    case 'ne':
      return evalExpr(w, p.left) !== evalExpr(w, p.right);
    case 'and':
      return p.args.every((a) => evalProp(w, a));
    case 'or':
      return p.args.some((a) => evalProp(w, a));
    case 'not':
      return !evalProp(w, p.arg);
  }
}
