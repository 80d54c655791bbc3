import type { FsType } from '../../src/model/include/fs.js';
import type { OwnFolio, OwnVma } from '../../src/model/include/mm_types.js';
import { findVma, ownVmaAt, type VmaRef } from '../../src/model/mm/pgtable.js';
import type { Policies } from '../../src/model/profile/policies/index.js';
import { newCtx, type Ctx } from '../../src/model/core/ctx.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import type { FileSpec, MappingSpec, PageSpec } from '../../src/model/engine/program.js';
import { draftWorld, ownFolio, type Draft } from '../../src/model/core/cow.js';
import { bug, mmOf } from '../../src/model/core/world.js';
import { profile } from './harness.js';

/**
 * A small World to call model functions on directly: one process (mm 0) with the given mappings,
 * no actors, as a draft that every call changes. `ctx` collects the events of everything the test runs.
 */
export interface Bench {
  readonly w: Draft;
  readonly ctx: Ctx;
  readonly policies: Policies;
  /** The VMA of a buffer in an mm (default: the first process). */
  at(buf: string, mm?: number): VmaRef;
  vma(buf: string, mm?: number): OwnVma;
  /** The folio a buffer maps now; throws when it maps none. */
  folio(buf: string, mm?: number): OwnFolio;
}

export function bench(
  release: string,
  mappings: MappingSpec[],
  files: FileSpec[] = [],
  set: Record<string, string> = {},
): Bench {
  const policies = profile(release, set).policies;
  const w = draftWorld(
    instantiate(
      { files, processes: [{ name: 'P', mappings, forked: false }], setup: [], actors: [] },
      policies,
    ),
  );
  const at = (buf: string, mm = 0): VmaRef => {
    const vma = findVma(mmOf(w, mm), buf) ?? bug('bench', `mm ${mm} has no ${buf}`);
    return { mm, vma };
  };
  const vma = (buf: string, mm = 0): OwnVma => ownVmaAt(w, at(buf, mm));
  const folio = (buf: string, mm = 0): OwnFolio => {
    const pte = vma(buf, mm).pte;
    if (pte.kind !== 'present') return bug('bench', `${buf} maps no folio`);
    return ownFolio(w, pte.folio);
  };
  return { w, ctx: newCtx(policies), policies, at, vma, folio };
}

export function anonMap(name: string, page: PageSpec = { kind: 'base' }, shared = false): MappingSpec {
  return { name, backing: { type: 'anon' }, shared, page, read: true, write: true };
}

/** A mapping of page 0 of program file `file` (a hugetlbfs file takes `page` HUGETLB). */
export function fileMap(
  name: string,
  file: number,
  shared: boolean,
  write = true,
  page: PageSpec = { kind: 'base' },
): MappingSpec {
  return { name, backing: { type: 'file', file, pgoff: 0 }, shared, page, read: true, write };
}

export function fileSpec(name: string, fs: FsType, data = 'D'): FileSpec {
  return { name, fs, pages: [data] };
}

export const THP: PageSpec = { kind: 'thp', order: 9 };
export const HUGETLB: PageSpec = { kind: 'hugetlb', order: 9 };
