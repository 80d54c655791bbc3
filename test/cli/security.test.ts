import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES, readBounded } from '../../src/cli/files.js';
import { LIBRARY_DIR } from '../../src/cli/library.js';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pinlab-security-'));
const VMSPLICE = join(LIBRARY_DIR, 'vmsplice-child-unmap.pin');

/** One exportable scenario without axes (README's CVE-2020-29374). */
const ONE = `scenario gup-get-child-unmap
intent: The child reads through a FOLL_GET reference after unmapping; the parent writes.
source: README

process P
  map buf anon private
process C forked

setup
  T0: write buf "A"

thread T0 in P
  fork C
  write buf "B"

thread T1 in C
  get buf as h
  munmap buf
  peek h -> seen
  put h

exists (T1:seen == "B") as leak
`;

/** The one line a user mistake prints, with exit status 2. */
function refused(argv: readonly string[]): string {
  const r = cli(...argv);
  expect(r.code, r.err).toBe(2);
  expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
  return r.err;
}

describe('readBounded', () => {
  const file = join(dir, 'bounded');

  it('reads a file of at most the limit whole, and refuses one a byte longer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(64), (s, slack) => {
        writeFileSync(file, s);
        const size = Buffer.byteLength(s);
        expect(readBounded(file, size + slack)).toEqual({ text: Buffer.from(s).toString('utf8') });
        if (size > 0) expect(readBounded(file, size - 1)).toHaveProperty('error');
      }),
      { numRuns: 30 },
    );
  });

  it('reads across its chunks', () => {
    const text = 'ab\n'.repeat(2 ** 20);
    writeFileSync(file, text);
    expect(readBounded(file, MAX_SCENARIO_BYTES)).toEqual({ text });
  });
});

describe('untrusted input', () => {
  it('refuses a scenario file over 4 MiB before reading it whole: /dev/zero, a large file', () => {
    expect(refused(['check', '/dev/zero'])).toBe('/dev/zero: larger than 4 MiB: not read\n');
    const big = join(dir, 'big.pin');
    writeFileSync(big, `# ${'x'.repeat(4 * 2 ** 20)}\n`);
    expect(refused(['export-c', big])).toContain('big.pin: larger than 4 MiB: not read');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'takes --set %s=x for the unknown policy it is',
    (name) => {
      expect(refused(['check', VMSPLICE, '--kernel', 'v6.6', '--set', `${name}=x`])).toContain(
        `pinlab check: unknown policy '${name}'`,
      );
    },
  );

  it.each(['--toString=1', '--constructor', '--__proto__=x'])('rejects the option %s', (option) => {
    expect(refused(['check', VMSPLICE, option])).toMatch(/^pinlab check: unknown option '--\w+' \(known:/);
  });
});

describe('export-c -o', () => {
  it('creates nothing under /dev', () => {
    const before = readdirSync('/dev');
    expect(refused(['export-c', VMSPLICE, '-o', '/dev/full'])).toContain(
      'will not write /dev/full-page=base: it is under /dev, a kernel filesystem',
    );
    expect(readdirSync('/dev')).toEqual(before);
  });

  it('follows no symbolic link that points nowhere', () => {
    const input = join(dir, 'link-input.pin');
    writeFileSync(input, ONE);
    const link = join(dir, 'link.c');
    symlinkSync(join(dir, 'made-through-link.c'), link);
    expect(refused(['export-c', input, '-o', link])).toContain('it is a symbolic link to nothing');
    expect(existsSync(join(dir, 'made-through-link.c'))).toBe(false);
  });

  it('never overwrites the scenario it reads', () => {
    const input = join(dir, 'one.pin');
    writeFileSync(input, ONE);
    expect(refused(['export-c', input, '-o', input])).toContain('it is an input of this command');
    expect(readFileSync(input, 'utf8')).toBe(ONE);
  });

  it('names an expansion by its number when an axis value could leave the folder', () => {
    const input = join(dir, 'slash.pin');
    writeFileSync(input, ONE.replace('process P', 'axis x = "../../escape" | plain\n\nprocess P'));
    const r = cli('export-c', input, '-o', join(dir, 'prog.c'));
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, 'prog-1.c'))).toBe(true);
    expect(existsSync(join(dir, 'prog-x=plain.c'))).toBe(true);
    expect(existsSync(join(dir, '..', '..', 'escape.c'))).toBe(false);
  });
});
