import {
  RELEASES,
  isProfileError,
  kernelProfile,
  profileNames,
  type KernelProfile,
} from '../model/profile/profiles.js';

/** `--kernel LIST|all` (comma-separated, repeatable) and `--set policy=value` to profiles, or an error message. */
export function resolveKernels(lists: readonly string[], sets: readonly string[]): KernelProfile[] | string {
  const names = lists.length === 0 ? ['all'] : lists.flatMap((l) => l.split(',')).filter((n) => n !== '');
  const expanded = names.flatMap((n) => (n === 'all' ? [...RELEASES] : [n]));
  const pairs: [string, string][] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) return `--set takes policy=value, not '${s}'`;
    pairs.push([s.slice(0, eq), s.slice(eq + 1)]);
  }
  // fromEntries defines own properties: `--set __proto__=x` stays a (refused) policy name.
  const overrides = Object.fromEntries(pairs);
  const out: KernelProfile[] = [];
  for (const name of [...new Set(expanded)]) {
    const p = kernelProfile(name, overrides);
    if (!isProfileError(p)) {
      out.push(p);
      continue;
    }
    switch (p.code) {
      case 'unknown-kernel':
        return `unknown kernel '${name}' (known: ${profileNames().join(' ')})`;
      case 'unknown-policy':
        return `unknown policy '${p.name}' (see 'pinlab list'; known: ${p.known.join(' ')})`;
      case 'bad-policy-value':
        return `policy '${p.name}' has no value '${p.value}' (known: ${p.known.join(' ')})`;
    }
  }
  return out;
}
