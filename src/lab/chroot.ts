import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A root of a kernel's own Debian release for building pinlab_grab where the machine cannot: Debian's
 * headers name the compiler their kernel was built with (gcc-14 for trixie's 6.12, gcc-16 for sid's
 * 7.2) and their kbuild tools are linked against that release's C library. Made once with Debian's
 * debootstrap in the lab's cache (root only), then kept.
 */
export const CHROOT_PACKAGES = ['make', 'libc6-dev', 'libelf-dev'] as const;

/** The suite debootstrap installs for a lab suite (`bullseye-security` is served by `bullseye`). */
export function bootstrapSuite(suite: string): string {
  return suite.replace(/-security$/, '');
}

/** debootstrap's arguments: a minimal base with the compiler, make, the C library's headers and libelf. */
export function debootstrapArgs(suite: string, compiler: string, target: string, mirror: string): string[] {
  return [
    '--variant=minbase',
    `--include=${[compiler, ...CHROOT_PACKAGES].join(',')}`,
    bootstrapSuite(suite),
    target,
    mirror,
  ];
}

/** The cached root of `suite` with `compiler` in it, made now if missing; or why there is none. */
export function suiteChroot(
  cache: string,
  suite: string,
  compiler: string,
  mirror: string,
  progress: (line: string) => void,
): string | { why: string } {
  const root = join(cache, 'chroot', `${bootstrapSuite(suite)}-${compiler}`);
  if (existsSync(join(root, '.done'))) return root;
  if (process.getuid?.() !== 0) return { why: `a chroot of ${bootstrapSuite(suite)} needs root` };
  if (spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).error !== undefined)
    return {
      why: `no debootstrap to make a chroot of ${bootstrapSuite(suite)} (apt-get install debootstrap)`,
    };
  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  progress(`debootstrap ${bootstrapSuite(suite)} with ${compiler} (once, kept in the cache)`);
  const r = spawnSync('debootstrap', debootstrapArgs(suite, compiler, partial, mirror), {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0 || !existsSync(join(partial, 'usr', 'bin', compiler))) {
    const last = `${r.stderr}\n${r.stdout}`.trim().split('\n').at(-1) ?? '';
    return { why: `debootstrap ${bootstrapSuite(suite)} failed: ${last.slice(0, 200)}` };
  }
  writeFileSync(join(partial, '.done'), '');
  renameSync(partial, root);
  return root;
}

/** Run `f` with /proc mounted in `root` (objtool reads it), unmounting only what was mounted here. */
export function withProc<T>(root: string, f: () => T): T | { why: string } {
  const proc = join(root, 'proc');
  const mounted = !existsSync(join(proc, 'self'));
  if (mounted && spawnSync('mount', ['-t', 'proc', 'proc', proc]).status !== 0)
    return { why: `mounting /proc in ${root} failed` };
  try {
    return f();
  } finally {
    if (mounted) spawnSync('umount', [proc]);
  }
}
