import { POLICIES, POLICY_NAMES, type Policies, type PolicyName } from './policies/index.js';
import { compareReleases, parseRelease, releaseAtLeast, type Release } from './release.js';

/** The mainline releases pinlab models, oldest first. */
export const RELEASES: readonly Release[] = [
  'v4.19',
  'v5.4',
  'v5.8',
  'v5.10',
  'v5.15',
  'v5.19',
  'v6.1',
  'v6.2',
  'v6.4',
  'v6.5',
  'v6.6',
  'v6.12',
  'v6.13',
  'v6.14',
  'v6.15',
  'v6.18',
  'v7.0',
  'v7.2',
];

/** A design that was proposed but not merged, as a release plus the policies it changed. */
export interface Variant {
  readonly name: string;
  readonly doc: string;
  readonly base: Release;
  readonly set: Partial<Policies>;
}

export const VARIANTS: readonly Variant[] = [
  {
    name: 'howells-v8',
    doc: 'David Howells, "[PATCH v8 00/10] iov_iter: Improve page extraction (pin or just list)" (Jan 2023) on v6.2: iov_iter_extract_pages pins user-backed iterators and only lists the rest; the bio carries BIO_PAGE_REFFED / BIO_PAGE_PINNED (bi_cleanup_mode) and releases with folio_put_unpin().',
    base: 'v6.2',
    set: { 'iov.extract': 'present', 'dio.extract': 'pin', 'bio.pageFlags': 'reffed-pinned' },
  },
];

/** A named kernel: every policy's value. Plain data, constant for a whole check. */
export interface KernelProfile {
  readonly name: string;
  readonly release: Release;
  readonly policies: Policies;
}

export type ProfileError =
  | { readonly code: 'unknown-kernel'; readonly name: string; readonly known: readonly string[] }
  | { readonly code: 'unknown-policy'; readonly name: string; readonly known: readonly string[] }
  | {
      readonly code: 'bad-policy-value';
      readonly name: string;
      readonly value: string;
      readonly known: readonly string[];
    };

function policiesAt(release: Release): Policies {
  const out: Record<string, string> = {};
  for (const name of POLICY_NAMES) {
    let value: string | undefined;
    for (const change of POLICIES[name].history)
      if (releaseAtLeast(release, change.since)) value = change.value;
    // The first entry of every history is the oldest release modelled.
    out[name] = value ?? (POLICIES[name].history[0]?.value as string);
  }
  return out as unknown as Policies;
}

export function profileNames(): string[] {
  return [...RELEASES, ...VARIANTS.map((v) => v.name)];
}

/** The profile of a release or variant, with `set` overrides (the CLI's --set policy=value). */
export function kernelProfile(
  name: string,
  set: Readonly<Record<string, string>> = {},
): KernelProfile | ProfileError {
  const release = parseRelease(name);
  const variant = VARIANTS.find((v) => v.name === name);
  if (!variant && (release === null || !RELEASES.includes(release)))
    return { code: 'unknown-kernel', name, known: profileNames() };
  const base = variant ? variant.base : (release as Release);
  const policies: Record<string, string> = { ...policiesAt(base), ...(variant?.set ?? {}) };
  for (const [key, value] of Object.entries(set)) {
    // Own properties only: `constructor` or `__proto__` is no policy.
    if (!Object.hasOwn(POLICIES, key)) return { code: 'unknown-policy', name: key, known: POLICY_NAMES };
    const known = POLICIES[key as PolicyName].values as readonly string[];
    if (!known.includes(value)) return { code: 'bad-policy-value', name: key, value, known };
    policies[key] = value;
  }
  const suffix = Object.entries(set)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    name: suffix ? `${name}[${suffix}]` : name,
    release: base,
    policies: policies as unknown as Policies,
  };
}

export function isProfileError(p: KernelProfile | ProfileError): p is ProfileError {
  return 'code' in p;
}

/** The modelled release closest to (not newer than) a running kernel's "6.12.3-foo" version. */
export function closestRelease(uname: string): Release | null {
  const m = /^(\d+)\.(\d+)/.exec(uname);
  if (!m) return null;
  const r = `v${m[1]}.${m[2]}` as Release;
  let best: Release | null = null;
  for (const rel of RELEASES) if (compareReleases(rel, r) <= 0) best = rel;
  return best;
}
