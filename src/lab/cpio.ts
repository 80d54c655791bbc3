/**
 * An initramfs is a cpio archive in the "newc" format (the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII header, the
 * name with its NUL, padding to 4 bytes, the data, padding to 4 bytes; a `TRAILER!!!` entry ends it.
 */
export type CpioEntry =
  | { readonly path: string; readonly kind: 'dir' }
  | { readonly path: string; readonly kind: 'file'; readonly data: Buffer; readonly executable?: boolean }
  | { readonly path: string; readonly kind: 'symlink'; readonly target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): Buffer {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

function record(ino: number, path: string, mode: number, data: Buffer): Buffer[] {
  const name = Buffer.from(`${path}\0`);
  const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length, 0];
  const header = Buffer.from(`070701${fields.map(hex).join('')}`, 'ascii');
  return [header, name, pad4(header.length + name.length), data, pad4(data.length)];
}

/** The archive of the entries (paths relative, without a leading `/`), owned by root. */
export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    if (e.kind === 'dir') parts.push(...record(i + 1, e.path, S_IFDIR | 0o755, Buffer.alloc(0)));
    else if (e.kind === 'symlink')
      parts.push(...record(i + 1, e.path, S_IFLNK | 0o777, Buffer.from(e.target)));
    else parts.push(...record(i + 1, e.path, S_IFREG | (e.executable === true ? 0o755 : 0o644), e.data));
  });
  parts.push(...record(0, 'TRAILER!!!', 0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
