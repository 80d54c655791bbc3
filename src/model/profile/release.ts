/** Mainline release names ("v6.5") and their order; stable series names ("v6.1.y"). */

export type Release = `v${number}.${number}`;

/** A stable series: the mainline release it branched from, with its backports ("v5.10.y"). */
export type SeriesName = `${Release}.y`;

export function parseRelease(name: string): Release | null {
  return /^v\d+\.\d+$/.test(name) ? (name as Release) : null;
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareReleases(a: Release, b: Release): number {
  const [amaj, amin] = a.slice(1).split('.').map(Number) as [number, number];
  const [bmaj, bmin] = b.slice(1).split('.').map(Number) as [number, number];
  return amaj !== bmaj ? amaj - bmaj : amin - bmin;
}

export function releaseAtLeast(r: Release, since: Release): boolean {
  return compareReleases(r, since) >= 0;
}
