import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { allOps } from '../export/layout.js';
import type { Scenario } from '../scenario/index.js';

/**
 * How `pinlab real` runs an exported program with the least privilege that works. As root, a program
 * that needs none of root's powers runs as the overflow user and group (65534, `nobody`/`nogroup`),
 * which own nothing; one that needs root says why (rootReasons). What only root may set up (loop
 * devices, an ext4 mount) pinlab sets up itself before the program starts (prepareAsRoot). Either way
 * it runs in a private temporary directory (its TMPDIR and working directory, mode 0700) under
 * resource limits.
 */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 } as const;

/**
 * The limits of every run, lowered in the shell that execs the program (a process may lower its own;
 * only options dash and bash share): no core dumps, 15 minutes of CPU, files of 2097152 blocks (1 GiB
 * in dash's 512-byte blocks), 1024 descriptors.
 */
const LIMITS = 'ulimit -c 0 && ulimit -t 900 && ulimit -f 2097152 && ulimit -n 1024';

/** Whether a file in `dir` can be opened with O_DIRECT (tmpfs only from v6.6). */
export function odirectWorks(dir: string): boolean {
  const probe = join(dir, '.odirect');
  try {
    closeSync(openSync(probe, constants.O_CREAT | constants.O_RDWR | constants.O_DIRECT, 0o600));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

/** This process's soft RLIMIT_MEMLOCK in bytes (what io_uring charges registered buffers to). */
export function memlockLimit(limits = readFileSync('/proc/self/limits', 'utf8')): number {
  const soft = /^Max locked memory\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

/** What the machine offers an unprivileged run. */
export interface Host {
  /** O_DIRECT works in the temporary directory. */
  readonly odirect: boolean;
  /** RLIMIT_MEMLOCK, in bytes. */
  readonly memlock: number;
  /** The root-owned THP helper (kpage-helper.ts) when pinlab is root and built it, else null. */
  readonly kpage: string | null;
}

/** The bytes io_uring registers for the scenario: one page of each registered (or pinned) buffer's kind. */
function registeredBytes(s: Scenario): number {
  const maps = s.program.processes.flatMap((p) => p.mappings);
  const pageBytes = (buf: string): number => {
    const page = maps.find((m) => m.name === buf)?.page;
    return 4096 * 2 ** (page === undefined || page.kind === 'base' ? 0 : page.order);
  };
  return allOps(s.program)
    .map(({ op }) => op)
    .reduce(
      (n, op) =>
        op.op === 'uring-register' || (op.op === 'gup' && op.mode === 'pin') ? n + pageBytes(op.buf) : n,
      0,
    );
}

const REGULAR = ['ext4', 'xfs', 'btrfs'];

/** Whether the program checks that its THP buffers got THPs (verify_thp). */
function needsThpCheck(s: Scenario): boolean {
  return s.program.processes.some((p) => p.mappings.some((m) => m.page.kind === 'thp'));
}

/** Why the exported scenario needs root on this host even after prepareAsRoot; empty when it does not. */
export function rootReasons(s: Scenario, host: Host): string[] {
  const reasons: string[] = [];
  if (host.kpage === null && needsThpCheck(s))
    reasons.push(
      "telling a THP from small pages reads the run's /proc/PID/pagemap with CAP_SYS_ADMIN (PFNs) and /proc/kpageflags, and pinlab's helper for that is missing",
    );
  if (registeredBytes(s) > host.memlock)
    reasons.push('io_uring charges its registered buffers to RLIMIT_MEMLOCK, and they exceed it');
  return reasons;
}

/** What pinlab sets up as root for the program before it drops privileges (prepareAsRoot), said per scenario. */
export function rootSetup(s: Scenario, host: Host): string[] {
  const { program } = s;
  return [
    ...program.files.flatMap((f) =>
      f.fs === 'bdev'
        ? [`a loop device for block-device file ${f.name}, handed to uid ${UNPRIVILEGED.uid}`]
        : [],
    ),
    ...(host.kpage !== null && needsThpCheck(s)
      ? [`its THP checks, answered by pinlab's root-owned helper for the program's own pages only`]
      : []),
    ...(!host.odirect && program.files.some((f) => REGULAR.includes(f.fs))
      ? [`an ext4 image loop-mounted as the program's directory (the temporary directory has no O_DIRECT)`]
      : []),
  ];
}

/** What prepareAsRoot made: the program's environment and directory, and how to undo it. */
export interface Prepared {
  /** PINLAB_BDEV_<i>: the loop device of file i, owned by the unprivileged user while the program runs. */
  readonly env: Readonly<Record<string, string>>;
  /** The directory the program's private directory goes in (an ext4 mount), or null for the default. */
  readonly base: string | null;
  readonly undo: () => void;
}

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || String(r.error ?? r.status)).trim()}`);
  return r.stdout.trim();
}

/**
 * As root, before the program runs unprivileged: attach a loop device over a backing file in `dir`
 * for each block-device file and give it to the unprivileged user, and, when the temporary directory
 * has no O_DIRECT, make and loop-mount an ext4 image for the program's directory. `undo` gives the
 * devices back and detaches them. An error is a string (the scenario is then reported, not run).
 */
export function prepareAsRoot(s: Scenario, dir: string, host: Host): Prepared | string {
  const undo: (() => void)[] = [];
  const undoAll = (): void => {
    for (const u of undo.reverse())
      try {
        u();
      } catch {
        // best effort: the rest is still undone
      }
  };
  try {
    const env: Record<string, string> = {};
    s.program.files.forEach((f, i) => {
      if (f.fs !== 'bdev') return;
      const img = join(dir, `bdev-${i}.img`);
      writeFileSync(img, Buffer.alloc(4096 * Math.max(1, f.pages.length)), { mode: 0o600 });
      const dev = run('losetup', ['--find', '--show', img]);
      undo.push(() => run('losetup', ['-d', dev]));
      const was = statSync(dev);
      chownSync(dev, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
      undo.push(() => chownSync(dev, was.uid, was.gid));
      env[`PINLAB_BDEV_${i}`] = dev;
    });
    let base: string | null = null;
    if (!host.odirect && s.program.files.some((f) => REGULAR.includes(f.fs))) {
      const img = join(dir, 'ext4.img');
      const mnt = join(dir, 'ext4');
      writeFileSync(img, '');
      truncateSync(img, 64 << 20);
      run('mkfs.ext4', ['-q', '-F', img]);
      mkdirSync(mnt, { mode: 0o700 });
      run('mount', ['-o', 'loop', img, mnt]);
      undo.push(() => run('umount', [mnt]));
      chownSync(mnt, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
      chmodSync(mnt, 0o700);
      base = mnt;
    }
    return { env, base, undo: undoAll };
  } catch (e) {
    undoAll();
    return `setting up as root failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Run the program `exe` (in `dir`) in a new private directory under `dir` (or under the ext4 mount
 * `prepared` made): as the unprivileged user when `asRoot` is false and pinlab is root (`dir`'s
 * parents must let it pass), under LIMITS, with that directory as TMPDIR and working directory and
 * `prepared`'s devices in its environment; through the THP helper `kpage` when given.
 */
export function runConfined(
  exe: string,
  args: readonly string[],
  dir: string,
  asRoot: boolean,
  timeout: number,
  prepared: Prepared | null = null,
  kpage: string | null = null,
): SpawnSyncReturns<string> {
  const drop = !asRoot && process.getuid?.() === 0;
  // With the THP helper, root starts the helper, and the helper drops to the user before the exec.
  const via = drop && kpage !== null ? [kpage, String(UNPRIVILEGED.uid), String(UNPRIVILEGED.gid)] : [];
  const home = join(prepared?.base ?? dir, 'run');
  mkdirSync(home, { mode: 0o700 });
  if (drop) {
    // The user must reach the program (search permission only) and own its directory.
    chmodSync(dir, 0o711);
    chmodSync(exe, 0o755);
    chownSync(home, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  }
  const argv = [...via, exe, ...args];
  return spawnSync('sh', ['-c', `${LIMITS} && exec "$0" "$@"`, ...argv], {
    encoding: 'utf8',
    timeout,
    cwd: home,
    env: { ...prepared?.env, PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: home },
    ...(drop && via.length === 0 ? UNPRIVILEGED : {}),
  });
}

/**
 * Run one exported program with the least privilege that works: as root only for rootReasons; what
 * only root may set up is prepared first when pinlab is root, and undone after. A failed setup is
 * returned as a string.
 */
export function runPrepared(
  s: Scenario,
  exe: string,
  args: readonly string[],
  dir: string,
  host: Host,
  timeout: number,
): SpawnSyncReturns<string> | string {
  const asRoot = rootReasons(s, host).length > 0;
  const prepared = process.getuid?.() === 0 && !asRoot ? prepareAsRoot(s, dir, host) : null;
  if (typeof prepared === 'string') return prepared;
  try {
    const kpage = needsThpCheck(s) ? host.kpage : null;
    return runConfined(exe, args, dir, asRoot, timeout, prepared, kpage);
  } finally {
    prepared?.undo();
  }
}
