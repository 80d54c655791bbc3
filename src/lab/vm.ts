import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { HUGETLB_PAGES, LAB_DISKS, MARK } from './init.js';

/**
 * One boot of a lab kernel in Debian's qemu-system-x86: the kernel and initramfs, the lab's disks (an
 * ext4 disk, the same behind QEMU's I/O throttling so a DMA lands milliseconds after its submission,
 * a swap disk and the results disk), 2 CPUs. The console goes to a file, the progress port (QEMU's
 * stdio) to this process's stderr. A run past its limit is killed.
 */
export const QEMU = 'qemu-system-x86_64';
/** QEMU's throttling of the slow disk: I/O operations per second, all kinds together. */
export const THROTTLED_IOPS = 100;
const DISK_MB = 768;
const SWAP_MB = 256;
/** The results disk: the VM writes its results file from offset 0, the rest stays zero. */
const RESULTS_MB = 32;
const MEMORY_MB = 1536;

export type Accel = 'kvm' | 'tcg';

/** Fresh disk images in `work`: one ext4 per lab disk, then the swap disk. Null, or why not. */
export function makeDisks(work: string): string | null {
  for (const d of LAB_DISKS) {
    const img = join(work, `${d}.img`);
    rmSync(img, { force: true });
    // Old kernels (5.10) mount no ext4 with features newer mke2fs turns on by default.
    const tries = [['-O', '^metadata_csum_seed,^orphan_file'], []];
    const ok = tries.some(
      (o) =>
        spawnSync('mkfs.ext4', ['-q', '-F', ...o, img, `${DISK_MB}M`], { encoding: 'utf8' }).status === 0,
    );
    if (!ok) return `mkfs.ext4 ${d} failed`;
  }
  const swap = join(work, 'swap.img');
  rmSync(swap, { force: true });
  const made = spawnSync('sh', [
    '-c',
    'truncate -s "$2"M "$1" && mkswap -q "$1"',
    'mkswap',
    swap,
    String(SWAP_MB),
  ]);
  return made.status === 0 ? null : 'mkswap failed';
}

/** QEMU's machine type: `pc` (i440FX), or `q35` where a kernel panics on pc's timer ("IO-APIC + timer doesn't work"). */
export type Machine = 'pc' | 'q35';

export function qemuArgs(
  kernel: string,
  initrd: string,
  work: string,
  accel: Accel,
  probe: boolean,
  machine: Machine = 'pc',
): string[] {
  const drives = LAB_DISKS.map((d, i) => {
    const throttle = i === 1 ? `,throttling.iops-total=${THROTTLED_IOPS}` : '';
    return ['-drive', `file=${join(work, `${d}.img`)},if=virtio,format=raw${throttle}`];
  }).flat();
  const append = [
    'console=ttyS0',
    'quiet',
    'loglevel=3',
    'panic=-1',
    `hugepages=${HUGETLB_PAGES}`,
    ...(probe ? ['pinlab.probe'] : []),
  ].join(' ');
  return [
    '-machine',
    machine,
    '-accel',
    accel,
    ...(accel === 'kvm' ? ['-cpu', 'host'] : ['-cpu', 'max']),
    '-m',
    String(MEMORY_MB),
    '-smp',
    '2',
    '-nodefaults',
    '-no-reboot',
    '-display',
    'none',
    '-kernel',
    kernel,
    '-initrd',
    initrd,
    '-append',
    append,
    ...drives,
    '-drive',
    `file=${join(work, 'swap.img')},if=virtio,format=raw`,
    '-drive',
    `file=${join(work, 'results.img')},if=virtio,format=raw`,
    '-serial',
    `file:${join(work, 'console.log')}`,
    '-serial',
    'stdio',
  ];
}

export interface Boot {
  /** `done`: the plan ran to its end; `timeout`: killed at the limit; `failed`: ended before. */
  readonly status: 'done' | 'timeout' | 'failed';
  readonly results: string;
  /** Why a boot did not finish: the console's last lines or QEMU's error. */
  readonly why: string;
}

function tail(file: string): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
}

/** A zeroed (sparse) results disk. */
function freshResultsDisk(work: string): void {
  const img = join(work, 'results.img');
  writeFileSync(img, '');
  truncateSync(img, RESULTS_MB << 20);
}

/**
 * What the VM wrote to its results disk: the text up to its last non-zero byte (the file only grows
 * from offset 0, so what follows it is the zeroed rest of the disk; a zero byte inside stays).
 */
export function readResultsDisk(work: string): string {
  const img = join(work, 'results.img');
  if (!existsSync(img)) return '';
  const bytes = readFileSync(img);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

export function boot(
  kernel: string,
  initrd: string,
  work: string,
  accel: Accel,
  limitMs: number,
  probe = false,
  machine: Machine = 'pc',
): Boot {
  for (const f of ['console.log', 'results.img']) rmSync(join(work, f), { force: true });
  freshResultsDisk(work);
  const r = spawnSync(QEMU, qemuArgs(kernel, initrd, work, accel, probe, machine), {
    // The progress port (QEMU's stdout) is this process's stderr.
    stdio: ['ignore', 2, 'pipe'],
    encoding: 'utf8',
    timeout: limitMs,
    killSignal: 'SIGKILL',
  });
  const results = readResultsDisk(work);
  const finished = results.includes(`${MARK} ${probe ? 'booted' : 'done'}`);
  if (finished) return { status: 'done', results, why: '' };
  const why = `${r.stderr.trim().split('\n').at(-1) ?? ''} ${tail(join(work, 'console.log'))}`.trim();
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { status: 'timeout', results, why: `no end after ${Math.round(limitMs / 1000)} s: ${why}` };
  return { status: 'failed', results, why: why === '' ? `qemu exit ${r.status}` : why };
}

/** KVM when /dev/kvm opens and a probe boot of this kernel reaches /init; TCG otherwise (nested KVM may fail at boot). */
export function chooseAccel(
  kernel: string,
  initrd: string,
  work: string,
  machine: Machine = 'pc',
): { accel: Accel; why: string } {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', why: '/dev/kvm is not usable' };
  }
  const probe = boot(kernel, initrd, work, 'kvm', 60_000, true, machine);
  return probe.status === 'done'
    ? { accel: 'kvm', why: 'a KVM probe boot reached /init' }
    : { accel: 'tcg', why: `a KVM probe boot failed (${probe.why.slice(0, 160)})` };
}
