import {
  KERNELS,
  isProfileError,
  kernelProfile,
  profileNames,
  type KernelProfile,
} from '../model/profile/profiles.js';

/** `--kernel LIST|all` (comma-separated, repeatable) and `--set policy=value` to profiles, or an error message. */
export function resolveKernels(lists: readonly string[], sets: readonly string[]): KernelProfile[] | string {
  const names = lists.length === 0 ? ['all'] : lists.flatMap((l) => l.split(',')).filter((n) => n !== '');
  if (names.length === 0) return `--kernel names no kernel (known: ${profileNames().join(' ')})`;
  const expanded = names.flatMap((n) => (n === 'all' ? [...KERNELS] : [n]));
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
      const conflict = pinConflict(p);
      if (conflict !== null) return conflict;
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

/** Policy values that grab pages with pin_user_pages(), which a profile with gup.pin=absent lacks. */
const PINNING: readonly (readonly [string, string])[] = [
  ['dio.extract', 'pin'],
  ['vmsplice.grab', 'pin'],
  ['netfs.dioGrab', 'pin'],
];

/** Why a what-if leaves a profile inconsistent (a policy pins where pins do not exist), or null. */
export function pinConflict(p: KernelProfile): string | null {
  const policies = p.policies as unknown as Readonly<Record<string, string>>;
  if (policies['gup.pin'] !== 'absent') return null;
  const found = PINNING.find(([k, v]) => policies[k] === v);
  if (found === undefined) return null;
  const [k, v] = found;
  return `${p.name}: ${k}=${v} pins pages with pin_user_pages(), and gup.pin=absent leaves it out (pins exist from v5.7; or set gup.pin=counted)`;
}
