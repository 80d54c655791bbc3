import { describe, expect, it } from 'vitest';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { anon, profile } from '../harness.js';
import { explore, ioProgram } from './io-harness.js';

describe('btrfs: an O_DIRECT write from a buffer that changes in flight, on a checksummed file', () => {
  const program = (integrity: boolean) =>
    ioProgram({
      files: [{ name: 'b', fs: 'btrfs', pages: ['A'], integrity }],
      mappings: [anon('buf')],
      setup: [{ op: 'write', buf: 'buf', data: 'B' }],
      actors: [
        {
          process: 0,
          ops: [
            {
              op: 'dio',
              rw: 'write',
              path: 'iomap',
              async: false,
              file: 'b',
              index: 0,
              iter: 'iovec',
              buf: 'buf',
              as: 'w',
            },
            { op: 'pread', file: 'b', index: 0, reg: 'seen' },
          ],
        },
        { process: 0, ops: [{ op: 'write', buf: 'buf', data: 'C' }] },
      ],
    });
  const outcomes = (r: string, integrity = true) =>
    explore(profile(r), program(integrity)).finals.map((w) => w.actors[0]?.regs);
  const DIRECT = RELEASES.filter((r) => !releaseAtLeast(r, 'v6.15'));
  const BUFFERED = RELEASES.filter((r) => releaseAtLeast(r, 'v6.15'));
  it.each(RELEASES)('%s: the write never fails for a checksum', (r) => {
    expect(outcomes(r).every((regs) => regs?.w === '1')).toBe(true);
  });
  it.each(DIRECT)('%s: a direct write can store a mismatching checksum: the read fails with EIO', (r) => {
    expect(outcomes(r).some((regs) => regs?.seen === 'EIO')).toBe(true);
  });
  it.each(BUFFERED)('%s: the buffered fallback stores a matching checksum: the read never fails', (r) => {
    expect(outcomes(r).some((regs) => regs?.seen === 'EIO')).toBe(false);
  });
  it.each(RELEASES)('%s: without checksums (NODATASUM) no read fails', (r) => {
    expect(outcomes(r, false).some((regs) => regs?.seen === 'EIO')).toBe(false);
  });
});
