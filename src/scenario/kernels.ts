import { RELEASES, profileNames } from '../model/profile/profiles.js';
import type { Release } from '../model/profile/release.js';

/**
 * Kernel lists as `expect` spells them: `all`, a release (`v6.1`), a range over the ordered RELEASES
 * (`v4.19..v5.4`, open-ended `v5.8..` or `..v5.4`, both ends included), or a variant's name.
 */

/** The kernel profiles an expectation can name, in order: the releases, then the variants. */
export function knownKernels(): readonly string[] {
  return profileNames();
}

export function isRelease(name: string): name is Release {
  return (RELEASES as readonly string[]).includes(name);
}

/** The releases from `from` to `to` (null: the first / the last), both included; empty when reversed. */
export function releaseRange(from: Release | null, to: Release | null): Release[] {
  const a = from === null ? 0 : RELEASES.indexOf(from);
  const b = to === null ? RELEASES.length - 1 : RELEASES.indexOf(to);
  return RELEASES.slice(a, b + 1);
}

/** Position of a kernel in the canonical order (releases, then variants, then anything else). */
export function kernelRank(name: string): number {
  const i = knownKernels().indexOf(name);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** A set of kernels as the shortest list of `all`, ranges and names, in canonical order. */
export function kernelListText(kernels: readonly string[]): string {
  const set = new Set(kernels);
  if (RELEASES.every((r) => set.has(r)) && set.size === RELEASES.length) return 'all';
  const parts: string[] = [];
  let run: Release[] = [];
  const flush = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first !== undefined && last !== undefined) parts.push(first === last ? first : `${first}..${last}`);
    run = [];
  };
  for (const r of RELEASES) {
    if (set.has(r)) run.push(r);
    else flush();
  }
  flush();
  const others = [...set].filter((k) => !isRelease(k)).sort((a, b) => kernelRank(a) - kernelRank(b));
  return [...parts, ...others].join(', ');
}
