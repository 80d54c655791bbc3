import { FOLL_GET, FOLL_LONGTERM, FOLL_NOFAULT } from '../include/foll.js';
import { touchFreed } from '../mm/folio.js';
import { getUserPages, gupPutFolio, pinUserPages, unpinUserPagesDirtyLock } from '../mm/gup.js';
import { folioOf, hold, setReg, unhold } from '../core/world.js';
import { resolveBuf, segv } from './buf.js';
import { finished, type OpDef } from './types.js';
import { ownActor, ownFolio } from '../core/cow.js';

/**
 * A kernel user grabbing a buffer's page: `gup pin buf write longterm as h` (a driver, RDMA, ...).
 * `flags` are the caller's public FOLL_* flags; `fast` picks the *_fast() entry point.
 */
export interface GupOp {
  readonly op: 'gup';
  readonly buf: string;
  readonly mode: 'get' | 'pin';
  readonly flags: number;
  readonly fast: boolean;
  readonly as: string;
}

/** Dropping a held grab: `unpin h`, `unpin h dirty`, `put h`. */
export interface ReleaseOp {
  readonly op: 'release';
  readonly handle: string;
  readonly how: 'unpin' | 'unpin-dirty' | 'put';
}

/** Reading a held page through the kernel's own pointer (what the device or the pipe reader sees). */
export interface PeekOp {
  readonly op: 'peek';
  readonly handle: string;
  readonly reg: string;
}

function gupName(op: GupOp): string {
  // A longterm reference had its own entry point before FOLL_LONGTERM (names.ts).
  if (op.mode === 'get' && !op.fast && op.flags & FOLL_LONGTERM) return 'get_user_pages_longterm';
  return `${op.mode === 'pin' ? 'pin' : 'get'}_user_pages${op.fast ? '_fast' : ''}`;
}

export const gupOp: OpDef<GupOp> = {
  footprint: 'actor',
  unavailable: (p, op) => {
    if (op.mode === 'pin' && p['gup.pin'] === 'absent')
      return 'pin_user_pages() (FOLL_PIN) does not exist in this release';
    if (op.flags & FOLL_NOFAULT && p['gup.nofault'] === 'absent')
      return 'FOLL_NOFAULT does not exist before v5.16 ("gup: Introduce FOLL_NOFAULT flag to disable page faults")';
    return null;
  },
  steps: [
    {
      name: 'gup',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv(gupName(op));
        const grab = op.mode === 'pin' ? pinUserPages : getUserPages;
        const r = grab(env.ctx, env.w, at, op.flags, op.fast);
        const self = ownActor(env.w, env.actor);
        setReg(self, op.as, String(r.ret));
        if (r.ret > 0) hold(self, op.as, { folios: r.folios, mode: op.mode });
        return finished(gupName(op), r.folios, r.ret);
      },
    },
  ],
};

export const releaseOp: OpDef<ReleaseOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'release',
      run(env, op) {
        const self = ownActor(env.w, env.actor);
        const grab = self.held[op.handle];
        if (grab === undefined) return finished('put_page', [], null);
        unhold(self, op.handle);
        const unpin = op.how !== 'put';
        const wrong = unpin ? grab.mode === 'get' : grab.mode === 'pin';
        for (const id of grab.folios)
          if (wrong)
            env.ctx.events.push({
              type: 'counter-mismatch',
              folio: id,
              what: unpin ? 'unpin-of-ref' : 'put-of-pin',
            });
        if (unpin) unpinUserPagesDirtyLock(env.ctx, env.w, grab.folios, op.how === 'unpin-dirty');
        else for (const id of grab.folios) gupPutFolio(env.ctx, env.w, ownFolio(env.w, id), 1, FOLL_GET);
        const fn =
          op.how === 'put'
            ? 'put_page'
            : op.how === 'unpin'
              ? 'unpin_user_pages'
              : 'unpin_user_pages_dirty_lock';
        return finished(fn, grab.folios, 0);
      },
    },
  ],
};

export const peekOp: OpDef<PeekOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'peek',
      run(env, op) {
        const self = ownActor(env.w, env.actor);
        const grab = self.held[op.handle];
        const id = grab?.folios[0];
        if (id === undefined) {
          setReg(self, op.reg, 'none');
          return finished('kmap_local_folio', [], null);
        }
        const f = folioOf(env.w, id);
        touchFreed(env.ctx, f, 'dma-read');
        setReg(self, op.reg, f.data);
        return finished('kmap_local_folio', [id], null);
      },
    },
  ],
};
