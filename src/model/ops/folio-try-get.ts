import { folioPut, folioRefAdd, isAnyZeroFolio } from '../mm/folio.js';
import { bug, setLocal, type World } from '../core/world.js';
import type { Policies } from '../profile/policies/index.js';
import { finished, type Locals, type OpDef, type StepEnv, type StepOutcome } from './types.js';
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

/**
 * The folios a speculative lookup can find: live (refcount above 0), not a zero page. From v6.14
 * (policy mm.slabRefcount) slab folios are allocated frozen, refcount 0 for their whole life, so
 * folio_try_get() fails on them (the 7.2 tree: mm/slub.c:3280 alloc_frozen_pages(),
 * include/linux/page_ref.h:274 folio_ref_add_unless_zero()); the model's slab folio keeps its
 * owner's count, so it is left out here.
 */
function liveFolios(w: World, policies: Policies): number[] {
  const frozenSlab = policies['mm.slabRefcount'] === 'frozen';
  const out: number[] = [];
  for (const f of w.folios) {
    if (f.freed || f.refcount <= 0 || isAnyZeroFolio(f)) continue;
    if (frozenSlab && f.kind === 'slab') continue;
    out.push(f.id);
  }
  return out;
}

/**
 * folio_try_get() / get_page_unless_zero(): a reference unless the refcount already reached 0.
 * @kernel include/linux/page_ref.h:folio_try_get
 * @kernel include/linux/mm.h:get_page_unless_zero
 */
/** What the speculative reference keeps until it is dropped: the folio it found. */
interface TryGetLocals extends Locals {
  readonly spec: number | null;
}

function folioTryGet(env: StepEnv): StepOutcome {
  const id = liveFolios(env.w, env.ctx.policies)[env.choice];
  setLocal<TryGetLocals, 'spec'>(ownActor(env.w, env.actor), 'spec', id ?? null);
  if (id === undefined) return finished('folio_try_get', [], 0);
  folioRefAdd(env.ctx, ownFolio(env.w, id), 1);
  return { fn: 'folio_try_get', folios: [id], done: false, ret: 1 };
}

export const tryGetOp: OpDef<TryGetOp, TryGetLocals> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'folio_try_get',
      // One choice per folio the lookup can find.
      choices: (env) => Math.max(1, liveFolios(env.w, env.ctx.policies).length),
      run: folioTryGet,
    },
    {
      name: 'folio_put',
      run(env, _op, { spec }) {
        if (typeof spec !== 'number') bug('try-get', 'no speculative reference to drop');
        folioPut(env.ctx, env.w, ownFolio(env.w, spec));
        return finished('folio_put', [spec], 0);
      },
    },
  ],
};
