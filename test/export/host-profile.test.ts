import { describe, expect, it } from 'vitest';
import { hostProfile } from '../../src/cli/real.js';
import { profileForKernel } from '../../src/model/profile/host.js';

function name(uname: string, version = ''): string {
  const p = hostProfile(uname, version);
  return typeof p === 'string' ? p : p.profile.name;
}

describe('hostProfile', () => {
  it.each([
    ['6.18.44-fc-v669', 'v6.18'],
    ['6.12.0-1-amd64', 'v6.12'],
    ['6.13.7', 'v6.13'],
    ['6.17.2', 'v6.15'],
    ['6.5.0-rc1', 'v6.5'],
    ['5.9.16', 'v5.8'],
    ['7.0.1', 'v7.0'],
    ['7.2.13', 'v7.2'],
    ['5.10.0', 'v5.10'],
    ['6.1.0', 'v6.1'],
    ['6.12.117+deb13-cloud-amd64', 'v6.12.y'],
    ['6.12.1', 'v6.12.y'],
    ['5.10.262', 'v5.10.y'],
    ['6.1.176', 'v6.1.y'],
    ['5.15.160', 'v5.15'],
  ])('maps %s to %s', (uname, profile) => {
    expect(name(uname)).toBe(profile);
  });

  it("reads a Debian kernel's stable release from uname -v when uname -r names its ABI", () => {
    expect(name('5.10.0-46-cloud-amd64', '#1 SMP Debian 5.10.262-1 (2026-10-01)')).toBe('v5.10.y');
    expect(name('6.1.0-50-cloud-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-09-20)')).toBe(
      'v6.1.y',
    );
    // Another release's number in the version string is not this kernel's.
    expect(name('6.1.0-50-cloud-amd64', '#1 SMP gcc 12.2.0 Debian 5.10.262-1')).toBe('v6.1');
    expect(name('5.10.0-46-cloud-amd64', '#1 SMP Debian 15.10.262-1')).toBe('v5.10');
  });

  it('says why, and warns when a stable kernel is older than the release its series was read at', () => {
    expect(profileForKernel('5.10.262')).toEqual({
      profile: 'v5.10.y',
      version: '5.10.262',
      why: '5.10.262 is a v5.10.y stable kernel',
    });
    expect(profileForKernel('5.10.100')?.why).toBe(
      '5.10.100 is a v5.10.y stable kernel; the series was read at 5.10.262, and an older stable kernel may lack a backport',
    );
    expect(profileForKernel('5.15.160')?.why).toBe(
      'no stable series of v5.15 is modelled: its mainline profile',
    );
    expect(profileForKernel('6.17.2')?.why).toBe('the newest modelled release not newer than 6.17.2');
  });

  it('says when no modelled release is old enough', () => {
    expect(name('4.14.1')).toBe('no modelled release is as old as the running kernel 4.14.1');
    expect(name('garbage')).toBe('no modelled release is as old as the running kernel garbage');
  });
});
