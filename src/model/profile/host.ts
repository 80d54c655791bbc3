import { RELEASES } from './profiles.js';
import { compareReleases, type Release } from './release.js';
import { STABLE_SERIES } from './stable.js';

/** The profile that models a running kernel, and why that one. */
export interface KernelMatch {
  readonly profile: string;
  /** The kernel's version as pinlab read it ("5.10.262"), and how the profile was chosen. */
  readonly version: string;
  readonly why: string;
}

/**
 * The sublevel a distribution hides from `uname -r`: Debian's "5.10.0-46-cloud-amd64" names its ABI, and
 * `uname -v` ("#1 SMP Debian 5.10.262-1 (...)") the stable release. 0 when neither says.
 */
function sublevel(major: string, minor: string, stated: string | undefined, version: string): number {
  if (stated !== undefined && Number(stated) > 0) return Number(stated);
  const m = new RegExp(`(?:^|[^\\d.])${major}\\.${minor}\\.(\\d+)`).exec(version);
  return m ? Number(m[1]) : 0;
}

/**
 * The profile for a kernel from its `uname -r` (release) and `uname -v` (version) strings: a stable
 * kernel (sublevel above 0) of a release with a stable series gets that series (5.10.262 → v5.10.y),
 * anything else the newest modelled release not newer than it (6.17.2 → v6.15). Null when no modelled
 * release is that old or the release string names no version. `pinlab real` and the lab both use it.
 */
export function profileForKernel(release: string, version = ''): KernelMatch | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const sub = sublevel(m[1], m[2], m[3], version);
  const mainline = `v${m[1]}.${m[2]}` as Release;
  const full = `${m[1]}.${m[2]}.${sub}`;
  const series = STABLE_SERIES.find((s) => s.base === mainline);
  if (series !== undefined && sub > 0) {
    const read = Number(series.at.split('.')[2]);
    const older =
      sub < read
        ? `; the series was read at ${series.at}, and an older stable kernel may lack a backport`
        : '';
    return { profile: series.name, version: full, why: `${full} is a ${series.name} stable kernel${older}` };
  }
  const best = RELEASES.filter((r) => compareReleases(r, mainline) <= 0).at(-1);
  if (best === undefined) return null;
  const why =
    best === mainline
      ? sub > 0
        ? `no stable series of ${mainline} is modelled: its mainline profile`
        : `the ${mainline} release`
      : `the newest modelled release not newer than ${full}`;
  return { profile: best, version: full, why };
}
