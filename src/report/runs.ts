/**
 * Releases grouped into runs of equal values, written as a scenario's `expect` lines write them:
 * `sometimes on ..v6.4, never on v6.5..`, `never on all`, `always on v6.1..v6.12`, `n/a on v4.19`.
 * The first and last releases are the ones checked (a run's `..` reaches the end of the columns).
 */

export interface Run {
  readonly value: string;
  /** Indices of the first and last release of the run in the checked releases. */
  readonly from: number;
  readonly to: number;
}

/** Consecutive equal values as runs, in order. */
export function runsOf(values: readonly string[]): Run[] {
  const runs: Run[] = [];
  values.forEach((value, i) => {
    const last = runs.at(-1);
    if (last !== undefined && last.value === value) runs[runs.length - 1] = { ...last, to: i };
    else runs.push({ value, from: i, to: i });
  });
  return runs;
}

/** The releases of a run: `all`, `vX`, `..vX`, `vX..`, `vX..vY`. */
export function releasesOf(run: Run, kernels: readonly string[]): string {
  const last = kernels.length - 1;
  const name = (i: number): string => kernels[i] ?? '?';
  if (run.from === 0 && run.to === last) return 'all';
  if (run.from === run.to) return name(run.from);
  if (run.from === 0) return `..${name(run.to)}`;
  if (run.to === last) return `${name(run.from)}..`;
  return `${name(run.from)}..${name(run.to)}`;
}

/** Each run as `VALUE on RELEASES`. */
export function runsText(values: readonly string[], kernels: readonly string[]): string[] {
  return runsOf(values).map((r) => `${r.value} on ${releasesOf(r, kernels)}`);
}
