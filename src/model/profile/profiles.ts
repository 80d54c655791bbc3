import { POLICIES, POLICY_NAMES, type Policies, type PolicyName } from './policies/index.js';
import { parseRelease, releaseAtLeast, type Release } from './release.js';
import { STABLE_SERIES } from './stable.js';

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

/**
 * Every release and stable series in order: a series right after the release it branched from (v5.10,
 * v5.10.y, v5.15), so a range in an `expect` line takes a series in when it spans the series' release
 * and something after it (`v5.10..v5.15`), and leaves it out when it ends at that release (`..v5.10`).
 */
export const KERNELS: readonly string[] = RELEASES.flatMap((r) => [
  r,
  ...STABLE_SERIES.filter((s) => s.base === r).map((s) => s.name),
]);

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
  /** Function names a stable series' backports spell as a later release (identity -> name; names.ts). */
  readonly names: Readonly<Record<string, string>>;
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
  return [...KERNELS, ...VARIANTS.map((v) => v.name)];
}

/** A release's policies, or a variant's or stable series' (its release plus what it changes); null: unknown. */
function basePolicies(
  name: string,
): { release: Release; policies: Record<string, string>; names: Record<string, string> } | null {
  const variant = VARIANTS.find((v) => v.name === name);
  if (variant)
    return { release: variant.base, policies: { ...policiesAt(variant.base), ...variant.set }, names: {} };
  const series = STABLE_SERIES.find((s) => s.name === name);
  if (series) {
    const backported = Object.fromEntries(series.backports.map((b) => [b.policy, b.value]));
    const names = Object.fromEntries(series.names.map((n) => [n.identity, n.name]));
    return { release: series.base, policies: { ...policiesAt(series.base), ...backported }, names };
  }
  const release = parseRelease(name);
  if (release === null || !RELEASES.includes(release)) return null;
  return { release, policies: { ...policiesAt(release) }, names: {} };
}

/** The profile of a release, stable series or variant, with `set` overrides (the CLI's --set policy=value). */
export function kernelProfile(
  name: string,
  set: Readonly<Record<string, string>> = {},
): KernelProfile | ProfileError {
  const base = basePolicies(name);
  if (base === null) return { code: 'unknown-kernel', name, known: profileNames() };
  const policies = base.policies;
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
    release: base.release,
    policies: policies as unknown as Policies,
    names: base.names,
  };
}

export function isProfileError(p: KernelProfile | ProfileError): p is ProfileError {
  return 'code' in p;
}
