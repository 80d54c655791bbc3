import type { Machine } from './vm.js';

/**
 * The lab's kernels: which Debian suite serves each release, its package names, and the pinlab
 * profile its verdicts are compared with: Debian ships stable kernels, so a release with a stable series
 * is compared with the series (`v6.1.y`: the release plus the backports of the stable kernel Debian
 * ships, src/model/profile/stable.ts).
 */
export interface LabKernel {
  /** As `--kernels` names it. */
  readonly name: string;
  /** The Debian suite and which archive serves it (`security`: the -security host). */
  readonly suite: string;
  readonly archive: 'main' | 'security';
  /** The image package's name begins with this ABI prefix (`linux-image-6.1.0-`). */
  readonly abiPrefix: string;
  /** The source package of the same release (its tools/testing/selftests). */
  readonly source: string;
  /** The pinlab profile the kernel's runs are compared with. */
  readonly profile: string;
  /** QEMU's machine type (vm.ts): Debian's 7.2 panics on pc's timer ("IO-APIC + timer doesn't work"). */
  readonly machine: Machine;
}

export const LAB_KERNELS: readonly LabKernel[] = [
  {
    name: '5.10',
    suite: 'bullseye-security',
    archive: 'security',
    abiPrefix: '5.10.0-',
    source: 'linux-source-5.10',
    profile: 'v5.10.y',
    machine: 'pc',
  },
  {
    name: '6.1',
    suite: 'bookworm',
    archive: 'main',
    abiPrefix: '6.1.0-',
    source: 'linux-source-6.1',
    profile: 'v6.1.y',
    machine: 'pc',
  },
  {
    name: '6.12',
    suite: 'trixie',
    archive: 'main',
    abiPrefix: '6.12.',
    source: 'linux-source-6.12',
    profile: 'v6.12.y',
    machine: 'pc',
  },
  {
    name: '7.2',
    suite: 'sid',
    archive: 'main',
    abiPrefix: '7.2.',
    source: 'linux-source-7.2',
    profile: 'v7.2',
    machine: 'q35',
  },
];

/** The selftest tree used where a release has no cow.c (before v6.2): the one pinlab's cow follows. */
export const FALLBACK_SELFTEST_SOURCE = 'linux-source-6.12';

/** `--kernels 6.1,6.12` or `all`: the kernels, in table order, or an error. */
export function labKernels(lists: readonly string[]): LabKernel[] | string {
  const names = lists.flatMap((l) => l.split(',')).filter((n) => n !== '');
  if (names.includes('all')) return [...LAB_KERNELS];
  const unknown = names.find((n) => !LAB_KERNELS.some((k) => k.name === n));
  if (unknown !== undefined)
    return `--kernels: no lab kernel '${unknown.slice(0, 40)}' (known: ${LAB_KERNELS.map((k) => k.name).join(', ')}, all, host)`;
  return LAB_KERNELS.filter((k) => names.includes(k.name));
}
