import { describe, expect, it } from 'vitest';
import { bootstrapSuite, debootstrapArgs } from '../../src/lab/chroot.js';

describe("the kernel's own release as a chroot for pinlab_grab", () => {
  it('bootstraps the suite that serves a -security suite', () => {
    expect(bootstrapSuite('bullseye-security')).toBe('bullseye');
    expect(bootstrapSuite('trixie')).toBe('trixie');
  });

  it("asks debootstrap for a minimal base with the headers' compiler, make, the C library and libelf", () => {
    expect(debootstrapArgs('sid', 'gcc-16', 'ROOT', 'http://archive/debian')).toEqual([
      '--variant=minbase',
      '--include=gcc-16,make,libc6-dev,libelf-dev',
      'sid',
      'ROOT',
      'http://archive/debian',
    ]);
  });
});
