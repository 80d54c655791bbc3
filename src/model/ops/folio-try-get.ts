import { folioPut, folioRefAdd, isAnyZeroFolio } from '../mm/folio.js';
import { actorOf, bug, setLocal, type World } from '../core/world.js';
import { finished, type OpDef, type StepEnv, type StepOutcome } from './types.js';
import { ownActor, ownFolio } from '../core/cow.js';

/**
 * A speculative reference: `try-get`. Someone who does not own the folio takes a reference on it
 * if it is still live and soon drops it: a page-cache lookup (filemap_get_entry), GUP-fast between
 * reading the PTE and rechecking it, compaction's and memory-failure's PFN walkers. Two steps, so
 * any other step can run while the reference is held: it raises the refcount that COW reuse, fork's
 * maybe-pinned test and migration read, and its folio_put() may be the one that frees the folio.
 * MODEL: the lookup may land on any live folio but the zero pages (one transition choice each, in
 * id order): the walkers reach every PFN, and racing lookups find pages their owners just dropped.
 */
export interface TryGetOp {
  readonly op: 'try-get';
}

/** The folios a speculative lookup can find: live (refcount above 0), not a zero page. */
function liveFolios(w: World): number[] {
  const out: number[] = [];
  for (const f of w.folios) if (!f.freed && f.refcount > 0 && !isAnyZeroFolio(f)) out.push(f.id);
  return out;
}

/**
 * folio_try_get() / get_page_unless_zero(): a reference unless the refcount already reached 0.
 * @kernel include/linux/page_ref.h:folio_try_get
 * @kernel include/linux/mm.h:get_page_unless_zero
 */
function folioTryGet(env: StepEnv): StepOutcome {
  const self = ownActor(env.w, env.actor);
  const id = liveFolios(env.w)[env.choice];
  setLocal(self, 'spec', id ?? null);
  if (id === undefined) return finished('folio_try_get', [], 0);
  folioRefAdd(env.ctx, ownFolio(env.w, id), 1);
  return { fn: 'folio_try_get', folios: [id], done: false, ret: 1 };
}

export const tryGetOp: OpDef<TryGetOp> = {
  footprint: 'any',
  unavailable: () => null,
  enabled: () => true,
  choices(env) {
    const st = actorOf(env.w, env.actor);
    return st.phase === 0 ? Math.max(1, liveFolios(env.w).length) : 1;
  },
  step(env) {
    const st = actorOf(env.w, env.actor);
    if (st.phase === 0) return folioTryGet(env);
    const id = st.locals['spec'];
    if (typeof id !== 'number') bug('try-get', 'no speculative reference to drop');
    folioPut(env.ctx, env.w, ownFolio(env.w, id));
    return finished('folio_put', [id], 0);
  },
};
