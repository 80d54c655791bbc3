import type { FsType } from '../include/fs.js';
import type { Op } from '../ops/index.js';

/** The size of the folio a mapping's fault allocates. */
export type PageSpec =
  | { readonly kind: 'base' }
  /** Anonymous THP of 2^order pages; PMD-mapped when order is the PMD order. */
  | { readonly kind: 'thp'; readonly order: number }
  /** hugetlb page of 2^order pages (9: 2 MiB, 18: 1 GiB). */
  | { readonly kind: 'hugetlb'; readonly order: number };

export interface MappingSpec {
  readonly name: string;
  /** Anonymous memory, or a file of the program (by index into `files`) at a page offset. */
  readonly backing:
    { readonly type: 'anon' } | { readonly type: 'file'; readonly file: number; readonly pgoff: number };
  readonly shared: boolean;
  readonly page: PageSpec;
  readonly read: boolean;
  readonly write: boolean;
}

export interface FileSpec {
  readonly name: string;
  readonly fs: FsType;
  /** On-disk contents, one token per page. */
  readonly pages: readonly string[];
  /** The device has integrity (DIF/DIX guard tags) or the fs checksums data; default false. */
  readonly integrity?: boolean;
  /** The mapping needs stable pages during writeback; defaults to `integrity`. */
  readonly stableWrites?: boolean;
}

/**
 * Kernel agents a program runs besides its actors. Each is one scheduler actor, numbered after the
 * program's actors in this order: `device` completes in-flight bios in any order (DMA, then
 * completion); `flusher` writes back any dirty page-cache folio; `bio-dirty-work` runs the deferred
 * bio_dirty_fn; `nic` transmits queued skbs in any order, and frees a sent one when the peer acknowledges it (MSG_ZEROCOPY completions).
 */
export type AgentKind = 'device' | 'flusher' | 'bio-dirty-work' | 'nic';

export interface ProcessSpec {
  readonly name: string;
  readonly mappings: readonly MappingSpec[];
  /** Created by a `fork` operation of another actor, not at start. */
  readonly forked: boolean;
}

export interface ActorSpec {
  readonly name: string;
  /** Index into `processes`: the process whose address space the actor works in. */
  readonly process: number;
  readonly ops: readonly Op[];
}

/**
 * What the model runs: files, processes with their mappings, the actors and their operations. Constant
 * for a whole check; the World holds only what changes.
 */
export interface Program {
  readonly files: readonly FileSpec[];
  readonly processes: readonly ProcessSpec[];
  /** Operations run in order before any actor starts (setup, not interleaved): [actor, op]. */
  readonly setup: readonly (readonly [number, Op])[];
  readonly actors: readonly ActorSpec[];
  /** Kernel agents, scheduled after the actors (absent: none). */
  readonly agents?: readonly AgentKind[];
  /** Pipe names; ops name them (absent: none). */
  readonly pipes?: readonly string[];
}
