import type { Mm, OwnVma, Pte, Vma } from '../include/mm_types.js';
import { ownMm, type Draft } from '../core/cow.js';
import { bug, mmOf, type World } from '../core/world.js';

/** Where a fault or GUP works: one mm and one of its VMAs (a scenario buffer). */
export interface VmaRef {
  readonly mm: number;
  readonly vma: number;
}

export function vmaAt(w: World, at: VmaRef): Vma {
  const mm = mmOf(w, at.mm);
  return mm.vmas[at.vma] ?? bug('vmaAt', `mm ${at.mm} has no vma ${at.vma}`);
}

/** The VMA `at` of a step's own copy of its mm, to change (its PTE, its flags). */
export function ownVmaAt(d: Draft, at: VmaRef): OwnVma {
  const mm = ownMm(d, at.mm);
  return mm.vmas[at.vma] ?? bug('ownVmaAt', `mm ${at.mm} has no vma ${at.vma}`);
}

/** find_vma() by the buffer's name; null when the process has no such mapping (or unmapped it). */
export function findVma(mm: Mm, name: string): number | null {
  const i = mm.vmas.findIndex((v) => v.name === name);
  return i < 0 ? null : i;
}

/** A present entry's bits, named at every call (pte_mkwrite(), pte_mkdirty(), a PMD/PUD mapping). */
export interface PteBits {
  readonly writable: boolean;
  readonly dirty: boolean;
  readonly huge: boolean;
}

/** mk_pte() / mk_huge_pmd(): a present entry mapping `folio`. @kernel include/linux/mm.h:mk_pte */
export function mkPte(folio: number, bits: PteBits): Pte {
  return { kind: 'present', folio, writable: bits.writable, dirty: bits.dirty, huge: bits.huge };
}
