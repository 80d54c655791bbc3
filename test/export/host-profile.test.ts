import { describe, expect, it } from 'vitest';
import { hostProfile } from '../../src/cli/real.js';

function name(uname: string): string {
  const p = hostProfile(uname);
  return typeof p === 'string' ? p : p.name;
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
  ])('picks the newest modelled release not newer than %s', (uname, release) => {
    expect(name(uname)).toBe(release);
  });

  it('says when no modelled release is old enough', () => {
    expect(name('4.14.1')).toBe('no modelled release is as old as the running kernel 4.14.1');
    expect(name('garbage')).toBe('no modelled release is as old as the running kernel garbage');
  });
});
