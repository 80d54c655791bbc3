import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The kernel modules the lab's VM needs (the virtio disks, loop devices), with what each depends on,
 * in load order. Debian's image package ships no modules.dep (depmod writes it at install), so the
 * dependencies are read from each module's own `.modinfo` strings (`depends=a,b`).
 */
export const VM_MODULES = ['virtio_pci', 'virtio_blk', 'loop'] as const;

/** Module name → its file (`.ko` or `.ko.xz`), under a modules tree. */
export function moduleFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const m = /([^/]+)\.ko(?:\.xz)?$/.exec(e);
    if (m?.[1] !== undefined) out.set(m[1].replaceAll('-', '_'), join(dir, e));
  }
  return out;
}

/** A module's bytes, uncompressed. */
export function moduleBytes(file: string): Buffer {
  if (!file.endsWith('.xz')) return readFileSync(file);
  const r = spawnSync('xz', ['-dc', file], { maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`xz -dc ${file} failed`);
  return r.stdout;
}

/** The `depends=` modinfo string of a module image. */
export function dependsOf(image: Buffer): string[] {
  const text = image.toString('latin1');
  const at = text.indexOf('\0depends=');
  if (at < 0) return [];
  const end = text.indexOf('\0', at + 1);
  return text
    .slice(at + '\0depends='.length, end)
    .split(',')
    .filter((d) => d !== '');
}

/** The wanted modules present as files, each after what it depends on (built-in ones need nothing). */
export function loadOrder(wanted: readonly string[], files: ReadonlyMap<string, string>): string[] {
  const order: string[] = [];
  const visit = (name: string): void => {
    const file = files.get(name);
    if (file === undefined || order.includes(name)) return;
    for (const d of dependsOf(moduleBytes(file))) visit(d);
    order.push(name);
  };
  for (const w of wanted) visit(w);
  return order;
}
