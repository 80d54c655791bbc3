import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dependsOn, type Apt } from './apt.js';

/**
 * The hook for the kernel-side runner (lab/kmod: pinlab_grab.c with its Kbuild), when the repository
 * has it: the kernel's headers packages, the module built against them, and its file for the
 * initramfs. A failed build is reported and the lab runs without it.
 */
export const KMOD_DIR = 'lab/kmod';
export const KMOD_FILE = 'pinlab_grab.ko';

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

/** Build the module in a copy of lab/kmod against unpacked headers; its .ko, or why not. */
export function buildKmod(
  repo: string,
  headersRoot: string,
  version: string,
  work: string,
): string | { why: string } {
  const copy = join(work, 'kmod');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  cpSync(join(repo, KMOD_DIR), copy, { recursive: true });
  const tree = join(headersRoot, 'usr', 'src', `linux-headers-${version}`);
  const r = spawnSync('make', ['-C', tree, `M=${copy}`, 'modules'], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const ko = join(copy, KMOD_FILE);
  if (r.status === 0 && existsSync(ko)) return ko;
  const err = `${r.stderr}`.split('\n').find((l) => /error/i.test(l)) ?? `make exit ${r.status}`;
  return { why: `building ${KMOD_FILE} failed: ${err.trim().slice(0, 200)}` };
}
