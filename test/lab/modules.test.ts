import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dependsOf, loadOrder, moduleFiles } from '../../src/lab/modules.js';

const dir = mkdtempSync(join(tmpdir(), 'pinlab-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ko(path: string, depends: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(
    join(dir, path),
    Buffer.from(`\x7fELF junk\0license=GPL\0depends=${depends}\0vermagic=6.1\0`, 'latin1'),
  );
}

describe('kernel modules', () => {
  it("reads a module's depends= string", () => {
    expect(dependsOf(Buffer.from('x\0depends=virtio,virtio_ring\0name=a\0', 'latin1'))).toEqual([
      'virtio',
      'virtio_ring',
    ]);
    expect(dependsOf(Buffer.from('x\0depends=\0', 'latin1'))).toEqual([]);
    expect(dependsOf(Buffer.from('no modinfo', 'latin1'))).toEqual([]);
  });

  it('orders the wanted modules after what they depend on, skipping built-in ones', () => {
    ko('kernel/drivers/virtio/virtio_pci.ko', 'virtio_pci_modern_dev,virtio_ring');
    ko('kernel/drivers/virtio/virtio_pci_modern_dev.ko', '');
    ko('kernel/drivers/block/virtio_blk.ko', '');
    ko('kernel/drivers/block/loop.ko', '');
    const files = moduleFiles(dir);
    expect([...files.keys()].sort()).toEqual(['loop', 'virtio_blk', 'virtio_pci', 'virtio_pci_modern_dev']);
    expect(loadOrder(['virtio_pci', 'virtio_blk', 'loop', 'ext4'], files)).toEqual([
      'virtio_pci_modern_dev',
      'virtio_pci',
      'virtio_blk',
      'loop',
    ]);
  });
});
