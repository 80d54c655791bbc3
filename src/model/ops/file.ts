import { fileIsMemoryBacked, type File } from '../include/fs.js';
import type { FolioKind } from '../include/mm_types.js';
import { EINVAL, EIO, errnoName } from '../include/errno.js';
import { btrfsReadCsumFails } from '../fs/btrfs-csum.js';
import { handleMmFault } from '../mm/memory/fault.js';
import { folioAlloc, touchFreed } from '../mm/folio.js';
import { vmaAt } from '../mm/pgtable.js';
import { bufferedWriteBlocks, filemapRead, genericPerformWrite } from '../mm/filemap-write.js';
import { truncateBlocks, truncatePagecache } from '../mm/truncate.js';
import { shrinkFileFolio } from '../mm/vmscan-file.js';
import { folioWaitStableBlocks, syncWritebackBlocks, writebackFolio } from '../mm/page-writeback.js';
import { ZERO_DATA } from '../mm/filemap.js';
import { bug, fileOf, folioOf, hold, setReg, type World } from '../core/world.js';
import { cpuFault, resolveBuf, segv } from './buf.js';
import { finished, type OpDef, type OpEnv } from './types.js';
import { ownActor, ownFile, ownFolio } from '../core/cow.js';

/** A buffered read of a file page into a register: `pread f[0] -> r`. */
export interface PreadOp {
  readonly op: 'pread';
  readonly file: string;
  readonly index: number;
  readonly reg: string;
}

/** A buffered write of a file page: `pwrite f[0] "X"`. */
export interface PwriteOp {
  readonly op: 'pwrite';
  readonly file: string;
  readonly index: number;
  readonly data: string;
}

/** fsync(): write back every dirty page of the file and wait: `fsync f`. */
export interface FsyncOp {
  readonly op: 'fsync';
  readonly file: string;
}

/** Memory pressure reclaiming one page-cache page: `reclaim f[0]`. */
export interface ReclaimOp {
  readonly op: 'reclaim';
  readonly file: string;
  readonly index: number;
}

/** ftruncate() to `pages` pages: `truncate f 0`. */
export interface TruncateOp {
  readonly op: 'truncate';
  readonly file: string;
  readonly pages: number;
}

/** A kernel caller's own memory, held as a handle: vmalloc() (for a KVEC) or alloc_page() (for a BVEC). */
export interface KallocOp {
  readonly op: 'kalloc';
  readonly kind: 'vmalloc' | 'page' | 'kmalloc';
  readonly as: string;
}

/**
 * A CPU store to another part of a buffer's page: the write fault happens, the data the scenario
 * watches is unchanged (Hildenbrand's O_DIRECT+fork tests write next to the DIO buffer).
 */
export interface TouchOp {
  readonly op: 'touch';
  readonly buf: string;
}

/** The file a program names (files are declared by the program; a missing one is a model bug). */
export function fileIdByName(w: World, name: string): number {
  return fileByName(w, name).id;
}

/** The program's file `name`, to read. */
export function fileByName(w: World, name: string): File {
  return w.files.find((x) => x.name === name) ?? bug('fileByName', `no file ${name}`);
}

export const preadOp: OpDef<PreadOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'pread',
      run(env, op) {
        const file = fileByName(env.w, op.file);
        // A page read in from disk is checked against its btrfs checksum first.
        const cached = file.cache[op.index] ?? null;
        if (cached === null && btrfsReadCsumFails(file, op.index)) {
          setReg(ownActor(env.w, env.actor), op.reg, errnoName[EIO] ?? 'EIO');
          return finished('filemap_read', [], -EIO);
        }
        const f = filemapRead(env.ctx, env.w, file, op.index);
        setReg(ownActor(env.w, env.actor), op.reg, f.data);
        return finished('filemap_read', [f.id], 1);
      },
    },
  ],
};

export const pwriteOp: OpDef<PwriteOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'pwrite',
      enabled: (env, op) => !bufferedWriteBlocks(env.w, fileByName(env.w, op.file), op.index),
      run(env, op) {
        const f = genericPerformWrite(env.ctx, env.w, fileByName(env.w, op.file), op.index, op.data);
        return finished('generic_perform_write', [f.id], 1);
      },
    },
  ],
};

/** Folios of the file under writeback. */
function underWriteback(env: OpEnv, fileId: number): number[] {
  return fileOf(env.w, fileId).cache.filter(
    (id): id is number => id !== null && folioOf(env.w, id).flags.writeback,
  );
}

/**
 * fsync() -> file_write_and_wait_range(): start writeback of every dirty folio (one step; a dirty
 * folio still under writeback is waited for first, syncWritebackBlocks), then wait for all of them
 * (folio_wait_writeback). shmem and hugetlbfs cannot write back: nothing is written.
 * @kernel mm/filemap.c:file_write_and_wait_range
 */
export const fsyncOp: OpDef<FsyncOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'filemap_fdatawrite',
      enabled: (env, op) => !syncWritebackBlocks(env.w, fileByName(env.w, op.file)),
      run(env, op) {
        const touched: number[] = [];
        const file = fileByName(env.w, op.file);
        if (fileIsMemoryBacked(file)) return { fn: 'filemap_fdatawrite', folios: [], done: false, ret: null };
        for (const id of file.cache) {
          if (id === null) continue;
          const f = folioOf(env.w, id);
          if (!f.freed && f.flags.dirty && writebackFolio(env.ctx, env.w, ownFolio(env.w, id)))
            touched.push(id);
        }
        return { fn: 'filemap_fdatawrite', folios: touched, done: false, ret: null };
      },
    },
    {
      name: 'filemap_fdatawait',
      enabled: (env, op) => underWriteback(env, fileIdByName(env.w, op.file)).length === 0,
      run: () => finished('filemap_fdatawait', [], 0),
    },
  ],
};

export const reclaimOp: OpDef<ReclaimOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'reclaim',
      run(env, op) {
        const file = ownFile(env.w, fileIdByName(env.w, op.file));
        const id = file.cache[op.index] ?? null;
        const r = shrinkFileFolio(env.ctx, env.w, file, op.index);
        return finished('shrink_folio_list', id === null ? [] : [id], r === 'freed' ? 1 : 0);
      },
    },
  ],
};

export const truncateOp: OpDef<TruncateOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'truncate',
      enabled: (env, op) => {
        const file = fileByName(env.w, op.file);
        return file.fs === 'bdev' || !truncateBlocks(env.w, file, op.pages);
      },
      run(env, op) {
        // do_sys_ftruncate (do_ftruncate in 7.2): only a regular file opened for writing is truncated;
        // a block device node gets -EINVAL before anything is looked at (the 5.10, 6.1, 6.12 and 7.2 trees).
        if (fileByName(env.w, op.file).fs === 'bdev') return finished('do_sys_ftruncate', [], -EINVAL);
        const touched = truncatePagecache(
          env.ctx,
          env.w,
          ownFile(env.w, fileIdByName(env.w, op.file)),
          op.pages,
        );
        return finished('truncate_pagecache', touched, 0);
      },
    },
  ],
};

/**
 * vmalloc() / alloc_page() / kmalloc(): kernel memory the caller owns (one reference, dropped by
 * `put`, i.e. vfree()/__free_page()/kfree()); held under a handle with grab mode 'none' (nothing
 * GUP'd). MODEL: a kmalloc() object is a whole slab folio, so kfree() frees the folio.
 * @kernel mm/vmalloc.c:vmalloc
 */
const KALLOC: { readonly [K in KallocOp['kind']]: { readonly kind: FolioKind; readonly fn: string } } = {
  vmalloc: { kind: 'vmalloc', fn: 'vmalloc' },
  page: { kind: 'small', fn: 'alloc_page' },
  kmalloc: { kind: 'slab', fn: 'kmalloc' },
};

export const kallocOp: OpDef<KallocOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'kalloc',
      run(env, op) {
        const f = folioAlloc(env.w, KALLOC[op.kind].kind, 0, { type: 'none' }, ZERO_DATA);
        hold(ownActor(env.w, env.actor), op.as, { folios: [f.id], mode: 'none' });
        return finished(KALLOC[op.kind].fn, [f.id], 0);
      },
    },
  ],
};

/** Whether a store to the buffer must wait for stable writes (its mapped page is under writeback). */
export function storeBlocks(env: OpEnv, buf: string): boolean {
  const at = resolveBuf(env, buf);
  if (at === null) return false;
  const pte = vmaAt(env.w, at).pte;
  return pte.kind === 'present' && !pte.writable && folioWaitStableBlocks(env.w, pte.folio);
}

export const touchOp: OpDef<TouchOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'touch',
      enabled: (env, op) => !storeBlocks(env, op.buf),
      run(env, op) {
        const at = resolveBuf(env, op.buf);
        if (at === null) return segv('handle_mm_fault');
        const r = handleMmFault(env.ctx, env.w, at, 'write');
        if (r !== 0) return cpuFault(env, r).outcome;
        const pte = vmaAt(env.w, at).pte;
        if (pte.kind !== 'present') return segv('handle_mm_fault');
        touchFreed(env.ctx, folioOf(env.w, pte.folio), 'cpu-write');
        return finished(env.ctx.calls[0] ?? 'store', [pte.folio]);
      },
    },
  ],
};
