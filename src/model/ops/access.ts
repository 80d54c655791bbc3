import { handleMmFault } from '../mm/memory/fault.js';
import { touchFreed } from '../mm/folio.js';
import { vmaAt } from '../mm/pgtable.js';
import { folioOf, setReg } from '../core/world.js';
import { cpuFault, mappedFolios, resolveBuf, segv } from './buf.js';
import { storeBlocks } from './file.js';
import { finished, type OpDef } from './types.js';
import { ownActor, ownFolio } from '../core/cow.js';

/** A user-space store into a buffer: `write buf "X"`. */
export interface WriteOp {
  readonly op: 'write';
  readonly buf: string;
  readonly data: string;
}

/** A user-space load from a buffer into a register: `read buf -> r`. */
export interface ReadOp {
  readonly op: 'read';
  readonly buf: string;
  readonly reg: string;
}

/**
 * A CPU store: fault until the entry is present and writable (handle_mm_fault), then store. A fault
 * that fails (SIGSEGV, or SIGBUS past a file's end) stores nothing.
 * MODEL: the access and its faults are one atomic step (the kernel holds the PTE lock for the part
 * that matters; a fault retried after a race gives the same end state).
 */
export const writeOp: OpDef<WriteOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'write',
      // ->page_mkwrite waits for stable writes (folio_wait_stable) on a write-protected page under writeback.
      enabled: (env, op) => !storeBlocks(env, op.buf),
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('handle_mm_fault');
        const r = handleMmFault(env.ctx, env.w, at, 'write');
        if (r !== 0) return cpuFault(env, r).outcome;
        const pte = vmaAt(env.w, at).pte;
        if (pte.kind !== 'present') return segv('handle_mm_fault');
        const f = ownFolio(env.w, pte.folio);
        if (!touchFreed(env.ctx, f, 'cpu-write')) f.data = op.data;
        return finished(env.ctx.calls[0] ?? 'store', [f.id]);
      },
    },
  ],
};

/** A CPU load: fault in if needed, then read the folio's contents into a register. */
export const readOp: OpDef<ReadOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'read',
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        const st = ownActor(env.w, env.actor);
        if (at === null) {
          setReg(st, op.reg, 'SIGSEGV');
          return segv('handle_mm_fault');
        }
        const r = handleMmFault(env.ctx, env.w, at, 'read');
        if (r !== 0) {
          // The register holds the signal the load raised: SIGBUS past the file's end, else SIGSEGV.
          const fault = cpuFault(env, r);
          setReg(st, op.reg, fault.signal);
          return fault.outcome;
        }
        const [id] = mappedFolios(env, at);
        if (id === undefined) return segv('handle_mm_fault');
        const f = folioOf(env.w, id);
        touchFreed(env.ctx, f, 'cpu-read');
        setReg(st, op.reg, f.data);
        return finished(env.ctx.calls[0] ?? 'load', [id]);
      },
    },
  ],
};
