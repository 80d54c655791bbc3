/**
 * The VM's /init: a busybox shell script that loads the modules, mounts the lab's disks, turns on
 * swap and hugetlb pages, then runs each program of the plan on each disk with a time limit, and
 * writes its output between markers to the results disk (the last virtio disk, raw): the file grows in
 * the VM's tmpfs and is written whole to the disk after each marker, with fsync, so what a step printed
 * is on the host's image before the next step starts. A serial port was the results channel until a CI
 * run lost the result line of a program that had exited 0 (a tty discards what it has not sent when
 * its last user closes it and the closing wait runs out, the likeliest way); a disk loses nothing. Progress goes to the second serial
 * port, which the host shows on stderr.
 */
export interface PlanItem {
  /** The program's file under /lab/bin, and the name its section carries. */
  readonly id: string;
  readonly args: readonly string[];
  /** The lab disks it runs on (TMPDIR and working directory there); each a section of its own. */
  readonly disks: readonly string[];
  readonly limitSeconds: number;
}

/** The lab's disks, in the order of QEMU's -drive options (vda, vdb, ...). */
export const LAB_DISKS = ['ext4', 'ext4-throttled'] as const;
export const HUGETLB_PAGES = 64;
/** The virtio disks after the lab's: swap, then the results disk. */
const SWAP_DISK = LAB_DISKS.length;
const RESULTS_DISK = LAB_DISKS.length + 1;

/** The guest's name of the n-th virtio disk (0: vda). */
function vd(n: number): string {
  return `/dev/vd${String.fromCharCode(97 + n)}`;
}

export const MARK = '# pinlab-lab:';

function shellWord(s: string): string {
  if (!/^[A-Za-z0-9_.,=/+-]+$/.test(s)) throw new Error(`not a plain word: ${s}`);
  return s;
}

export function initScript(plan: readonly PlanItem[], modules: readonly string[], kmod: boolean): string {
  const mounts = LAB_DISKS.map(
    (d, i) => `mkdir -p /mnt/${d} && mount -t ext4 ${vd(i)} /mnt/${d} && mkdir -p /mnt/${d}/tmp`,
  );
  const runs = plan.flatMap((p, n) =>
    p.disks.map(
      (d) =>
        `step ${n + 1}/${plan.length} ${shellWord(p.id)} ${shellWord(d)} ${p.limitSeconds} ${p.args.map(shellWord).join(' ')}`,
    ),
  );
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmp /tmp
R=/tmp/results
P=/dev/ttyS1
: > $R
save() { dd if=$R of=${vd(RESULTS_DISK)} bs=64k conv=fsync 2>/dev/null; }
say() { echo "${MARK} $*" >> $R; save; }
progress() { echo "pinlab lab: $*" > $P; }
for m in ${modules.map(shellWord).join(' ')}; do insmod /lab/modules/$m.ko || echo "${MARK} module $m failed" >> $R; done
if grep -q pinlab.probe /proc/cmdline; then say booted; poweroff -f; fi
say booted $(uname -r)
${kmod ? `if insmod /lab/pinlab_grab.ko; then say kmod loaded; else say kmod absent: insmod failed; fi` : 'say kmod absent: not built'}
${mounts.join('\n')}
swapon ${vd(SWAP_DISK)} || say swap failed
echo ${HUGETLB_PAGES} > /proc/sys/vm/nr_hugepages
say hugetlb $(cat /proc/sys/vm/nr_hugepages)
step() {
  progress "[$1] $2 on $3"
  say begin $2 $3
  cd /mnt/$3/tmp
  TMPDIR=/mnt/$3/tmp timeout -s KILL $4 /lab/bin/$2 $5 >> $R 2>/dev/null
  say end $2 $3 $?
  cd /
}
${runs.join('\n')}
say done
sync
poweroff -f
`;
}
