import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The host side of the kernel-side runner: building the pinlab_grab module (lab/kmod) against a
 * kernel's unpacked Debian `linux-headers-*` packages, and checking what was built. A build that
 * cannot work on this machine says why before make runs: Debian's headers name the compiler their
 * kernel was built with (`.kernelvariables`), and their kbuild tools are linked against that
 * release's C library, so a kernel newer than the machine's Debian release is built in a chroot of
 * its own release (`chroot` below).
 */
export const KMOD_DIR = 'lab/kmod';
export const KMOD_FILE = 'pinlab_grab.ko';

/**
 * The absolute `include /usr/src/linux-headers-<v>-common/Makefile` of Debian's per-flavour headers
 * Makefile, or null for a plain kernel tree.
 */
export function debianCommonInclude(makefile: string): string | null {
  const m = /^include (\/usr\/src\/linux-headers-[^/\s]+-common\/Makefile)\s*$/m.exec(makefile);
  return m?.[1] ?? null;
}

/** The compiler Debian's headers ask for (`CC = ... gcc-14` in .kernelvariables), or null. */
export function headersCompiler(kernelVariables: string): string | null {
  return /^CC\s*=.*?\b(gcc-\d+)\s*$/m.exec(kernelVariables)?.[1] ?? null;
}

/** The kernel release a module was built for: its `vermagic=` modinfo string's first word. */
export function vermagic(ko: Uint8Array): string | null {
  const text = Buffer.from(ko).toString('latin1');
  return /vermagic=([^\s\0]+)/.exec(text)?.[1] ?? null;
}

/** What make needs to build the module in `moduleDir` against the headers tree `tree`. */
export interface KmodMake {
  /**
   * The Debian common Makefile where the flavour tree includes it by an absolute path that is not
   * there (the packages unpacked elsewhere than /): make reads it with -f instead, as the include
   * would.
   */
  readonly commonMakefile: string | null;
  /** pahole is missing: no BTF for the module (the kernel loads it without). */
  readonly noBtf: boolean;
}

export function kmodMakeArgs(tree: string, moduleDir: string, o: KmodMake): string[] {
  return [
    '-C',
    tree,
    ...(o.commonMakefile === null ? [] : ['-f', o.commonMakefile]),
    `M=${moduleDir}`,
    ...(o.noBtf ? ['CONFIG_DEBUG_INFO_BTF_MODULES='] : []),
    'modules',
  ];
}

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Why the headers' own tools cannot run here (linked against a newer C library), or null. */
function toolsProblem(tree: string): string | null {
  const modpost = join(tree, 'scripts', 'mod', 'modpost');
  if (!existsSync(modpost)) return null;
  const r = spawnSync(modpost, [], { encoding: 'utf8' });
  const glibc = /version `(GLIBC_[\d.]+)' not found/.exec(r.stderr)?.[1];
  return glibc === undefined
    ? null
    : `the headers' modpost needs ${glibc}, newer than this machine's C library`;
}

/** The unpacked flavour tree `<root>/usr/src/linux-headers-<version>` and how make must read it. */
function headersTree(root: string, version: string): { tree: string; common: string | null } | string {
  const tree = join(root, 'usr', 'src', `linux-headers-${version}`);
  const makefile = join(tree, 'Makefile');
  if (!existsSync(makefile)) return `no ${basename(tree)}/Makefile under ${root}`;
  const include = debianCommonInclude(readFileSync(makefile, 'utf8'));
  if (include === null || existsSync(include)) return { tree, common: null };
  const local = join(root, include);
  return existsSync(local)
    ? { tree, common: local }
    : `${basename(tree)} includes ${include}, which is missing`;
}

function makeFailure(r: ReturnType<typeof spawnSync>): string {
  const text = `${String(r.stderr)}\n${String(r.stdout)}`;
  const line = text.split('\n').find((l) => /error|not found/i.test(l)) ?? `make exit ${String(r.status)}`;
  return `building ${KMOD_FILE} failed: ${line.trim().slice(0, 200)}`;
}

/** Options of buildKmod. */
export interface KmodBuildOptions {
  /**
   * A root of the kernel's own Debian release (debootstrap with gcc-N, make, libc6-dev, libelf),
   * with /proc mounted: the headers and the module are copied in and built there with `chroot`
   * (root only).
   */
  readonly chroot?: string;
}

/**
 * Build the module in a copy of lab/kmod (from `repo`) against headers unpacked at `headersRoot`
 * (its usr/src and usr/lib); the .ko's path, or why not. The copy is built by kbuild exactly as
 * `make -C <tree> M=<copy> modules`, with the adjustments KmodMake lists.
 */
export function buildKmod(
  repo: string,
  headersRoot: string,
  version: string,
  work: string,
  o: KmodBuildOptions = {},
): string | { why: string } {
  const found = headersTree(headersRoot, version);
  if (typeof found === 'string') return { why: found };
  const copy = join(work, 'kmod');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(repo, KMOD_DIR), copy, { recursive: true });
  const ko =
    o.chroot === undefined ? buildHere(found, copy) : buildInChroot(o.chroot, headersRoot, version, copy);
  if (typeof ko !== 'string') return ko;
  const built = vermagic(readFileSync(ko));
  return built === version ? ko : { why: `${KMOD_FILE} was built for ${built ?? '?'}, not ${version}` };
}

function buildHere(found: { tree: string; common: string | null }, copy: string): string | { why: string } {
  const variables = join(found.tree, '.kernelvariables');
  const cc = existsSync(variables) ? headersCompiler(readFileSync(variables, 'utf8')) : null;
  if (cc !== null && !onPath(cc) && !onPath(`x86_64-linux-gnu-${cc}`))
    return {
      why: `the headers were made with ${cc}, which this machine lacks: build in a chroot of the kernel's Debian release`,
    };
  const tools = toolsProblem(found.tree);
  if (tools !== null) return { why: `${tools}: build in a chroot of the kernel's Debian release` };
  const args = kmodMakeArgs(found.tree, copy, { commonMakefile: found.common, noBtf: !onPath('pahole') });
  const r = spawnSync('make', args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const ko = join(copy, KMOD_FILE);
  return r.status === 0 && existsSync(ko) ? ko : { why: makeFailure(r) };
}

/** The headers packages' trees (usr/src/linux-headers-*, usr/lib/linux-kbuild-*) copied into the chroot. */
function buildInChroot(
  root: string,
  headersRoot: string,
  version: string,
  copy: string,
): string | { why: string } {
  for (const sub of [join('usr', 'src'), join('usr', 'lib')])
    for (const name of existsSync(join(headersRoot, sub)) ? readdirSync(join(headersRoot, sub)) : [])
      if (/^linux-(headers|kbuild)-/.test(name))
        cpSync(join(headersRoot, sub, name), join(root, sub, name), {
          recursive: true,
          verbatimSymlinks: true,
        });
  if (!existsSync(join(root, 'proc', 'self')))
    return { why: `${root} has no /proc mounted: objtool reads it (v7.2), mount it first` };
  const inside = join('/tmp', `pinlab-kmod-${process.pid}`);
  const there = join(root, inside);
  rmSync(there, { recursive: true, force: true });
  mkdirSync(dirname(there), { recursive: true });
  cpSync(copy, there, { recursive: true });
  try {
    const tree = join('/usr/src', `linux-headers-${version}`);
    const pahole = spawnSync('chroot', [root, 'pahole', '--version'], { stdio: 'ignore' }).status === 0;
    const args = kmodMakeArgs(tree, inside, { commonMakefile: null, noBtf: !pahole });
    const r = spawnSync('chroot', [root, 'make', ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const ko = join(there, KMOD_FILE);
    if (r.status !== 0 || !existsSync(ko)) return { why: makeFailure(r) };
    cpSync(ko, join(copy, KMOD_FILE));
    return join(copy, KMOD_FILE);
  } finally {
    rmSync(there, { recursive: true, force: true });
  }
}
