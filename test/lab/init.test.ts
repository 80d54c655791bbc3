import { describe, expect, it } from 'vitest';
import { HUGETLB_PAGES, initScript } from '../../src/lab/init.js';

describe('initScript', () => {
  const plan = [
    { id: 'p0', args: ['20'], disks: ['ext4', 'ext4-throttled'], limitSeconds: 70 },
    { id: 'cow', args: [], disks: ['ext4'], limitSeconds: 900 },
  ];

  it('loads the modules, mounts the disks, turns on swap and hugetlb, runs each program per disk', () => {
    const s = initScript(plan, ['virtio_blk', 'loop'], false);
    expect(s.startsWith('#!/bin/busybox sh\n')).toBe(true);
    expect(s).toContain('for m in virtio_blk loop; do insmod /lab/modules/$m.ko');
    expect(s).toContain('mount -t ext4 /dev/vda /mnt/ext4');
    expect(s).toContain('mount -t ext4 /dev/vdb /mnt/ext4-throttled');
    expect(s).toContain('swapon /dev/vdc');
    // Results go to the raw disk after swap, whole and fsynced after each marker; progress to ttyS1.
    expect(s).toContain('dd if=$R of=/dev/vdd bs=64k conv=fsync');
    expect(s).toContain('timeout -s KILL $4 /lab/bin/$2 $5 >> $R');
    expect(s).toContain('P=/dev/ttyS1');
    // The disk driver is loaded before the first marker, the probe boot's among them.
    expect(s.indexOf('insmod /lab/modules')).toBeLessThan(s.indexOf('say booted'));
    expect(s).toContain(`echo ${HUGETLB_PAGES} > /proc/sys/vm/nr_hugepages`);
    expect(s).toContain('say kmod absent: not built');
    const steps = s.split('\n').filter((l) => l.startsWith('step '));
    expect(steps).toEqual([
      'step 1/2 p0 ext4 70 20',
      'step 1/2 p0 ext4-throttled 70 20',
      'step 2/2 cow ext4 900 ',
    ]);
    expect(s.trimEnd().endsWith('poweroff -f')).toBe(true);
  });

  it('loads the kernel-side runner when it was built', () => {
    expect(initScript(plan, [], true)).toContain('if insmod /lab/pinlab_grab.ko; then say kmod loaded');
  });

  it('puts no shell syntax from a name into the script', () => {
    expect(() =>
      initScript([{ id: 'p0;reboot', args: [], disks: ['ext4'], limitSeconds: 1 }], [], false),
    ).toThrow(/not a plain word/);
  });
});
