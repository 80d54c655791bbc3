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
} from 'node:fs';
import { join } from 'node:path';
import { allOps } from '../export/layout.js';
import type { Scenario } from '../scenario/index.js';

/**
 * How `pinlab real` runs an exported program with the least privilege that works. As root, a program
 * that needs none of root's powers runs as the overflow user and group (65534, `nobody`/`nogroup`),
 * which own nothing; one that needs root says why (rootReasons). Either way it runs in a private
 * temporary directory (its TMPDIR and working directory, mode 0700) under resource limits.
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

/** Why the exported scenario needs root on this host; empty when an unprivileged user can run it. */
export function rootReasons(s: Scenario, host: Host): string[] {
  const { program } = s;
  const reasons: string[] = [];
  if (program.files.some((f) => f.fs === 'bdev'))
    reasons.push('a block-device file is a loop device, and attaching one needs root');
  if (!host.odirect && program.files.some((f) => ['ext4', 'xfs', 'btrfs'].includes(f.fs)))
    reasons.push('the temporary directory has no O_DIRECT: the program loop-mounts an ext4 image');
  if (program.processes.some((p) => p.mappings.some((m) => m.page.kind === 'thp')))
    reasons.push('telling a THP from small pages reads /proc/kpageflags, which only root may');
  if (registeredBytes(s) > host.memlock)
    reasons.push('io_uring charges its registered buffers to RLIMIT_MEMLOCK, and they exceed it');
  return reasons;
}

/**
 * Run the program `exe` (in `dir`) in a new private directory under `dir`: as the unprivileged user
 * when `asRoot` is false and pinlab is root (`dir`'s parents must let it pass), under LIMITS, with
 * that directory as TMPDIR and working directory.
 */
export function runConfined(
  exe: string,
  args: readonly string[],
  dir: string,
  asRoot: boolean,
  timeout: number,
): SpawnSyncReturns<string> {
  const drop = !asRoot && process.getuid?.() === 0;
  const home = join(dir, 'run');
  mkdirSync(home, { mode: 0o700 });
  if (drop) {
    // The user must reach the program (search permission only) and own its directory.
    chmodSync(dir, 0o711);
    chmodSync(exe, 0o755);
    chownSync(home, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  }
  return spawnSync('sh', ['-c', `${LIMITS} && exec "$0" "$@"`, exe, ...args], {
    encoding: 'utf8',
    timeout,
    cwd: home,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: home },
    ...(drop ? UNPRIVILEGED : {}),
  });
}
