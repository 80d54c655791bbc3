import { KERNELS, profileNames } from '../model/profile/profiles.js';

/**
 * Kernel lists as `expect` spells them: `all`, a release (`v6.1`) or stable series (`v6.1.y`), a range
 * over the ordered KERNELS (`v4.19..v5.4`, open-ended `v5.8..` or `..v5.4`, both ends included; a
 * series sorts right after its release, so `v5.10..v5.15` holds v5.10.y and `..v5.10` does not), or
 * a variant's name.
 */

/** The kernel profiles an expectation can name, in order: releases and series, then the variants. */
export function knownKernels(): readonly string[] {
  return profileNames();
}

/** Whether a name is in the ordered list a range walks (a release or a stable series). */
export function isOrdered(name: string): boolean {
  return KERNELS.includes(name);
}

/** The kernels from `from` to `to` (null: the first / the last), both included; empty when reversed. */
export function kernelRange(from: string | null, to: string | null): string[] {
  const a = from === null ? 0 : KERNELS.indexOf(from);
  const b = to === null ? KERNELS.length - 1 : KERNELS.indexOf(to);
  return KERNELS.slice(a, b + 1);
}

/** Position of a kernel in the canonical order (releases and series, then variants, then anything else). */
export function kernelRank(name: string): number {
  const i = knownKernels().indexOf(name);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** A set of kernels as the shortest list of `all`, ranges and names, in canonical order. */
export function kernelListText(kernels: readonly string[]): string {
  const set = new Set(kernels);
  if (KERNELS.every((r) => set.has(r)) && set.size === KERNELS.length) return 'all';
  const parts: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first !== undefined && last !== undefined) parts.push(first === last ? first : `${first}..${last}`);
    run = [];
  };
  for (const r of KERNELS) {
    if (set.has(r)) run.push(r);
    else flush();
  }
  flush();
  const others = [...set].filter((k) => !isOrdered(k)).sort((a, b) => kernelRank(a) - kernelRank(b));
  return [...parts, ...others].join(', ');
}
