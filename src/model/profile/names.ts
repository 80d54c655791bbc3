import type { Confidence } from './policy.js';
import { compareReleases, releaseAtLeast, type Release } from './release.js';

/** One spelling of a function, from the first mainline release that has it. */
export interface NameChange {
  readonly since: Release;
  readonly name: string;
  /** The commit subject (and id when known) that gave the function this name. */
  readonly commit: string;
  readonly confidence: Confidence;
}

/**
 * A kernel function the model names under one identity (the name a step or a call of the model
 * carries) whose name changed across releases, or which is another function on older releases (the
 * one that did its work then). Oldest first; the first entry's `since` is the oldest release pinlab
 * models. docs/kernel-audit/names.md gives the tree line that confirms each spelling.
 */
export interface FunctionNames {
  readonly doc: string;
  readonly history: readonly NameChange[];
}

/**
 * The functions whose names changed, by the identity the model emits. An identity names one call
 * site's function where a rename was not global: `folio_mark_dirty` is what the block layer's dirty
 * helpers (bio_release_pages, bio_set_pages_dirty, bio_dirty_fn) call; NFS (set_page_dirty) and ceph
 * (set_page_dirty_lock) emit their own names, unchanged in every release pinlab models.
 */
export const FUNCTION_NAMES: Readonly<Record<string, FunctionNames>> = {
  iov_iter_get_pages2: {
    doc: 'The advancing FOLL_GET extraction of an iterator (lib/iov_iter.c).',
    history: [
      { since: 'v4.19', name: 'iov_iter_get_pages', commit: 'the non-advancing original', confidence: 'H' },
      {
        since: 'v6.0',
        name: 'iov_iter_get_pages2',
        commit:
          'iov_iter: advancing variants of iov_iter_get_pages{,_alloc}(); get rid of non-advancing variants (eba2d3d79829)',
        confidence: 'H',
      },
    ],
  },
  __blkdev_direct_IO_async: {
    doc: 'An async O_DIRECT request that fits one bio: before its own helper it took the multi-bio path.',
    history: [
      { since: 'v4.19', name: '__blkdev_direct_IO', commit: 'the multi-bio path served it', confidence: 'H' },
      {
        since: 'v5.16',
        name: '__blkdev_direct_IO_async',
        commit: 'block: add single bio async direct IO helper (54a88eb838d3)',
        confidence: 'H',
      },
    ],
  },
  blkdev_bio_end_io_async: {
    doc: "The completion of that single-bio async request: blkdev_bio_end_io's, before its own helper.",
    history: [
      { since: 'v4.19', name: 'blkdev_bio_end_io', commit: 'the multi-bio path served it', confidence: 'H' },
      {
        since: 'v5.16',
        name: 'blkdev_bio_end_io_async',
        commit: 'block: add single bio async direct IO helper (54a88eb838d3)',
        confidence: 'H',
      },
    ],
  },
  submit_bio_wait_endio: {
    doc: '->bi_end_io of the simple (sync, one bio) block-device O_DIRECT path: it wakes the submitter.',
    history: [
      {
        since: 'v4.19',
        name: 'blkdev_bio_end_io_simple',
        commit: '__blkdev_direct_IO_simple set its own end_io and waited itself',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        name: 'submit_bio_wait_endio',
        commit: 'block: ignore RWF_HIPRI hint for sync dio (9650b453a3d4): submit_bio_wait()',
        confidence: 'M',
      },
      {
        since: 'v7.1',
        name: 'bio_wait_end_io',
        commit:
          'block: factor out a bio_await helper; block: unify the synchronous bi_end_io callbacks (65565ca5f99b)',
        confidence: 'M',
      },
    ],
  },
  submit_bio_wait: {
    doc: 'Where the simple block-device O_DIRECT submitter sleeps until its bio completes.',
    history: [
      {
        since: 'v4.19',
        name: '__blkdev_direct_IO_simple',
        commit: 'its own wait loop (io_schedule / blk_io_schedule)',
        confidence: 'H',
      },
      {
        since: 'v5.19',
        name: 'submit_bio_wait',
        commit: 'block: ignore RWF_HIPRI hint for sync dio (9650b453a3d4)',
        confidence: 'M',
      },
    ],
  },
  __iomap_dio_rw: {
    doc: 'Where a sync iomap O_DIRECT caller sleeps until its bios complete.',
    history: [
      { since: 'v4.19', name: 'iomap_dio_rw', commit: 'the wait loop was in iomap_dio_rw', confidence: 'H' },
      {
        since: 'v5.10',
        name: '__iomap_dio_rw',
        commit: 'iomap: Allow filesystem to call iomap_dio_complete without i_rwsem (c3d4ed1abecf)',
        confidence: 'H',
      },
    ],
  },
  folio_mark_dirty: {
    doc: 'How the block layer dirty helpers (bio_release_pages, bio_set_pages_dirty, bio_dirty_fn) dirty a page.',
    history: [
      {
        since: 'v4.19',
        name: 'set_page_dirty_lock',
        commit: 'per page, compound pages skipped',
        confidence: 'H',
      },
      {
        since: 'v6.8',
        name: 'folio_mark_dirty',
        commit: 'block: Remove special-casing of compound pages (1b151e2435fc): per folio, under folio_lock',
        confidence: 'H',
      },
    ],
  },
};

/** The name `fn` (a model identity) has on `release`: its spelling there, or itself when it never changed. */
export function functionName(release: Release, fn: string): string {
  const entry = Object.hasOwn(FUNCTION_NAMES, fn) ? FUNCTION_NAMES[fn] : undefined;
  if (entry === undefined) return fn;
  let name = entry.history[0]?.name ?? fn;
  for (const change of entry.history) if (releaseAtLeast(release, change.since)) name = change.name;
  return name;
}

/** The identities a name spelled on `release` can stand for (itself among them when it is its own). */
function identities(release: Release, spelled: string): string[] {
  const ids = Object.keys(FUNCTION_NAMES).filter((id) => functionName(release, id) === spelled);
  if (functionName(release, spelled) === spelled) ids.push(spelled);
  return ids;
}

/**
 * Whether `a` as spelled on release `ra` and `b` as spelled on `rb` can be the same function of the
 * model (a rename between the two releases is no difference).
 */
export function sameFunction(a: string, ra: Release, b: string, rb: Release): boolean {
  if (a === b && compareReleases(ra, rb) === 0) return true;
  const ib = identities(rb, b);
  return identities(ra, a).some((id) => ib.includes(id));
}

/** Whether two lists of functions, as spelled on `ra` and `rb`, name the same functions in order. */
export function sameCalls(a: readonly string[], ra: Release, b: readonly string[], rb: Release): boolean {
  return a.length === b.length && a.every((x, i) => sameFunction(x, ra, b[i] as string, rb));
}
