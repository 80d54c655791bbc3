import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LabKernel } from './kernels.js';

/**
 * Debian packages of other suites through a private apt configuration: its own sources list and
 * package lists under the lab's cache, so the machine's apt setup is never touched. The archive
 * hosts are the ones the machine's own sources name.
 */
export interface Archives {
  readonly main: string;
  readonly security: string;
}

/** The first non-security and security archive URIs named by apt sources texts (one-line or deb822). */
export function archivesOf(texts: readonly string[]): Archives | null {
  const uris = texts
    .flatMap((t) => t.split('\n'))
    .map((l) => /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)([a-z]+:\/\/\S+)/.exec(l.trim())?.[1])
    .filter((u): u is string => u !== undefined);
  const main = uris.find((u) => !u.includes('-security'));
  const security = uris.find((u) => u.includes('-security'));
  return main === undefined || security === undefined ? null : { main, security };
}

/** The machine's apt sources files' contents. */
export function machineSources(): string[] {
  const dir = '/etc/apt/sources.list.d';
  const files = ['/etc/apt/sources.list'].concat(
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.(list|sources)$/.test(f))
          .map((f) => join(dir, f))
      : [],
  );
  return files.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
}

/** A suite's private apt configuration: the options every apt-get/apt-cache call gets. */
export interface Apt {
  readonly options: readonly string[];
  readonly dir: string;
}

const DAY_MS = 24 * 3600 * 1000;

function apt(tool: 'apt-get' | 'apt-cache', a: Apt, args: readonly string[], cwd?: string) {
  return spawnSync(tool, [...a.options, ...args], { encoding: 'utf8', cwd, maxBuffer: 64 << 20 });
}

/** Write the suite's sources list and refresh its package lists when older than a day. */
export function suiteApt(cache: string, kernel: LabKernel, archives: Archives): Apt | string {
  const dir = join(cache, 'apt', kernel.suite);
  mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  const host = kernel.archive === 'security' ? archives.security : archives.main;
  writeFileSync(join(dir, 'sources.list'), `deb ${host} ${kernel.suite} main\n`);
  const a: Apt = {
    dir,
    options: [
      '-o',
      `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
      '-o',
      'Dir::Etc::SourceParts=/dev/null',
      '-o',
      `Dir::State::Lists=${join(dir, 'lists')}`,
      '-o',
      `Dir::Cache=${join(dir, 'cache')}`,
      '-o',
      'APT::Sandbox::User=root',
    ],
  };
  const stamp = join(dir, 'updated');
  if (!existsSync(stamp) || Date.now() - statSync(stamp).mtimeMs > DAY_MS) {
    const r = apt('apt-get', a, ['-qq', 'update']);
    if (r.status !== 0)
      return `apt-get update of ${kernel.suite} failed: ${lastLine(r.stderr || String(r.error))}`;
    writeFileSync(stamp, '');
  }
  return a;
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1) ?? '';
}

/** A package's candidate version and the file name of its .deb, or null when the suite has none. */
function candidate(a: Apt, pkg: string): { version: string; file: string } | null {
  const r = apt('apt-cache', a, ['show', '--no-all-versions', pkg]);
  const version = /^Version: (\S+)$/m.exec(r.stdout)?.[1];
  const file = /^Filename: (\S+)$/m.exec(r.stdout)?.[1];
  return r.status === 0 && version !== undefined && file !== undefined
    ? { version, file: basename(file) }
    : null;
}

function newer(a: string, b: string): boolean {
  return spawnSync('dpkg', ['--compare-versions', a, 'gt', b]).status === 0;
}

/**
 * The kernel's cloud image packages in its suite, newest first, the unsigned one before the signed
 * one of the same version (the same kernel; QEMU's direct boot ignores the signature). Sid names no
 * unsigned image, and an archive may miss a file its lists name, so the caller tries them in turn.
 */
export function imagePackages(a: Apt, kernel: LabKernel): string[] {
  const names = apt('apt-cache', a, ['pkgnames', `linux-image-${kernel.abiPrefix}`])
    .stdout.split('\n')
    .filter((n) => /-cloud-amd64(-unsigned)?$/.test(n));
  const found = names
    .map((name) => ({ name, version: candidate(a, name)?.version }))
    .filter((c): c is { name: string; version: string } => c.version !== undefined);
  return found
    .sort((x, y) =>
      x.version === y.version
        ? Number(y.name.endsWith('-unsigned')) - Number(x.name.endsWith('-unsigned'))
        : newer(x.version, y.version)
          ? -1
          : 1,
    )
    .map((c) => c.name);
}

/** The packages a package depends on whose names start with one of the prefixes. */
export function dependsOn(a: Apt, pkg: string, prefixes: readonly string[]): string[] {
  const r = apt('apt-cache', a, ['depends', '--no-recommends', '--no-suggests', pkg]);
  return r.stdout
    .split('\n')
    .map((l) => /^\s+Depends: (\S+)$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && prefixes.some((p) => n.startsWith(p)));
}

/** A downloaded package: its exact version and its .deb in the cache. */
export interface Deb {
  readonly name: string;
  readonly version: string;
  readonly file: string;
}

/** Download a package's candidate into `debs` unless it is there already. */
export function download(a: Apt, pkg: string, debs: string): Deb | string {
  const c = candidate(a, pkg);
  if (c === null) return `no package ${pkg} in the suite`;
  mkdirSync(debs, { recursive: true });
  const file = join(debs, c.file);
  if (!existsSync(file)) {
    const r = apt('apt-get', a, ['-qq', 'download', `${pkg}=${c.version}`], debs);
    if (r.status !== 0 || !existsSync(file))
      return `apt-get download ${pkg} failed: ${lastLine(r.stderr || String(r.error))}`;
  }
  return { name: pkg, version: c.version, file };
}
