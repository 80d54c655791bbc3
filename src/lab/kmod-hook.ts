import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dependsOn, type Apt } from './apt.js';
import { KMOD_DIR } from './kmod.js';

/**
 * The hook for the kernel-side runner (lab/kmod: pinlab_grab.c with its Kbuild), when the repository
 * has it: the kernel's headers packages (the module is built against them by kmod.ts's buildKmod and
 * put in the initramfs). A failed build is reported and the lab runs without it.
 */
export function kmodPresent(repo: string): boolean {
  return existsSync(join(repo, KMOD_DIR));
}

/** linux-headers-<abi>-cloud-amd64 of an image package, and the common/kbuild packages it needs. */
export function kmodPackages(a: Apt, image: string): string[] {
  const headers = image.replace(/^linux-image-/, 'linux-headers-').replace(/-unsigned$/, '');
  const deps = dependsOn(a, headers, ['linux-headers-', 'linux-kbuild-']);
  return [headers, ...deps.flatMap((d) => [d, ...dependsOn(a, d, ['linux-kbuild-'])])].filter(
    (p, i, all) => all.indexOf(p) === i,
  );
}
