import { describe, expect, it } from 'vitest';
import { kernelProfile, isProfileError } from '../../src/model/profile/profiles.js';
import { LAB_KERNELS, labKernels } from '../../src/lab/kernels.js';

describe('the lab kernels', () => {
  it('maps every kernel to a profile pinlab has', () => {
    for (const k of LAB_KERNELS) expect(isProfileError(kernelProfile(k.profile)), k.profile).toBe(false);
    expect(LAB_KERNELS.map((k) => [k.name, k.suite, k.profile])).toEqual([
      ['5.10', 'bullseye-security', 'v5.10.y'],
      ['6.1', 'bookworm', 'v6.1.y'],
      ['6.12', 'trixie', 'v6.12.y'],
      ['7.2', 'sid', 'v7.2'],
    ]);
  });

  it('reads --kernels lists in table order, and all', () => {
    expect((labKernels(['6.12,6.1']) as { name: string }[]).map((k) => k.name)).toEqual(['6.1', '6.12']);
    expect((labKernels(['5.10', '7.2']) as { name: string }[]).map((k) => k.name)).toEqual(['5.10', '7.2']);
    expect(labKernels(['all'])).toHaveLength(LAB_KERNELS.length);
  });

  it('refuses a kernel it has no suite for', () => {
    expect(labKernels(['6.1,4.19'])).toBe(
      "--kernels: no lab kernel '4.19' (known: 5.10, 6.1, 6.12, 7.2, all, host)",
    );
  });
});
