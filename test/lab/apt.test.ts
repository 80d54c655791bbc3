import { describe, expect, it } from 'vitest';
import { archivesOf } from '../../src/lab/apt.js';

describe('archivesOf', () => {
  it('reads deb822 sources', () => {
    const text = `Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
`;
    expect(archivesOf([text])).toEqual({
      main: 'http://deb.debian.org/debian',
      security: 'http://deb.debian.org/debian-security',
    });
  });

  it('reads one-line sources with options, across files, skipping comments', () => {
    const a =
      '# deb http://old.example/debian bookworm main\ndeb [arch=amd64] http://mirror.example/debian bookworm main\n';
    const b = 'deb http://mirror.example/debian-security bookworm-security main\n';
    expect(archivesOf([a, b])).toEqual({
      main: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
    });
  });

  it('needs both archives', () => {
    expect(archivesOf(['deb http://mirror.example/debian bookworm main'])).toBeNull();
    expect(archivesOf([])).toBeNull();
  });
});
