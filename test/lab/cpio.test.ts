import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpioArchive, type CpioEntry } from '../../src/lab/cpio.js';

/** A reader of the newc format, as the kernel's initramfs unpacker reads it (init/initramfs.c). */
function read(buf: Buffer): { path: string; mode: number; data: Buffer }[] {
  const out: { path: string; mode: number; data: Buffer }[] = [];
  let at = 0;
  const align = (n: number): number => (n + 3) & ~3;
  for (;;) {
    expect(buf.toString('ascii', at, at + 6)).toBe('070701');
    const field = (i: number): number => parseInt(buf.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const path = buf.toString('utf8', at + 110, at + 110 + nameSize - 1);
    const dataAt = align(at + 110 + nameSize);
    const data = buf.subarray(dataAt, dataAt + size);
    at = align(dataAt + size);
    if (path === 'TRAILER!!!') break;
    out.push({ path, mode, data });
  }
  expect(at).toBe(buf.length);
  return out;
}

describe('cpioArchive', () => {
  it('writes directories, files, executables and symlinks', () => {
    const entries: CpioEntry[] = [
      { path: 'bin', kind: 'dir' },
      { path: 'bin/busybox', kind: 'file', data: Buffer.from('ELF'), executable: true },
      { path: 'bin/sh', kind: 'symlink', target: 'busybox' },
      { path: 'etc', kind: 'file', data: Buffer.alloc(0) },
    ];
    expect(read(cpioArchive(entries)).map((e) => [e.path, e.mode.toString(8), e.data.toString()])).toEqual([
      ['bin', '40755', ''],
      ['bin/busybox', '100755', 'ELF'],
      ['bin/sh', '120777', 'busybox'],
      ['etc', '100644', ''],
    ]);
  });

  it('reads back any files whole, each aligned to 4 bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9_]{1,12}$/), fc.uint8Array({ maxLength: 40 })), {
          maxLength: 8,
        }),
        (files) => {
          const entries = files.map(([name, data], i): CpioEntry => ({
            path: `f${i}/${name}`,
            kind: 'file',
            data: Buffer.from(data),
          }));
          const back = read(cpioArchive(entries));
          expect(back.map((e) => e.path)).toEqual(entries.map((e) => e.path));
          back.forEach((e, i) => expect([...e.data]).toEqual([...(files[i]?.[1] ?? [])]));
        },
      ),
    );
  });
});
