import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/cli/files.js';
import { cli, RACE as TWO_WRITERS } from './helpers.js';

/** The two writers, as a file with an axis (whose value holds the replay token's separator). */
const RACE = TWO_WRITERS.replace(
  'source: a test of the CLI\n',
  'source: a test of the CLI\naxis who = "a@b" | c\n',
).replace('sometimes on all', 'never on all');

function inDir(): { dir: string; pin: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-files-'));
  const pin = join(dir, 'race.pin');
  writeFileSync(pin, RACE);
  return { dir, pin };
}

describe('commands never write over their input', () => {
  const { dir, pin } = inDir();
  const trace = join(dir, 'trace.json');
  writeFileSync(trace, '{"pinlab": 1, "results": []}');
  const link = join(dir, 'link.pin');
  symlinkSync(pin, link);
  // One scenario, and a file whose name is what -o prog.pin gives its expansion who=c.
  const single = join(dir, 'single.pin');
  writeFileSync(single, RACE.replace(/^axis .*$/m, ''));
  const expansion = join(dir, 'prog-who=c.pin');
  writeFileSync(expansion, RACE);
  it.each([
    [pin, ['explain', pin, '--kernel', 'v6.1', '--out', pin]],
    [pin, ['explain', pin, '--kernel', 'v6.1', '--out', join(dir, '.', 'race.pin')]],
    [pin, ['explain', pin, '--kernel', 'v6.1', '--out', link]],
    [single, ['export-c', single, '-o', single]],
    [expansion, ['export-c', expansion, '-o', join(dir, 'prog.pin')]],
    [trace, ['view', '--html', trace, '-o', trace]],
  ])('refuses to write over %s, with exit 2 and one line', (file, argv) => {
    const before = readFileSync(file);
    const r = cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pinlab [a-z-]+: will not write .*: it is an input of this command\n$/);
    expect(readFileSync(file)).toEqual(before);
  });
});

describe('writeOutput', () => {
  it('replaces a file whole and leaves no temporary file behind', () => {
    const { dir } = inDir();
    const f = join(dir, 'out.txt');
    writeFileSync(f, 'old');
    expect(writeOutput(f, 'new', [])).toBeNull();
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'race.pin'), 'utf8')).toBe(RACE);
    expect(writeOutput(join(dir, 'no-such-dir', 'x'), 'y', [])).toMatch(/^cannot write .*: ENOENT$/);
  });
});

describe('replay tokens', () => {
  it('replays a token whose scenario id holds an @, from the command check printed', () => {
    const { pin } = inDir();
    const r = cli('check', pin, '--kernel', 'v6.1');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => l.includes('replay: pinlab replay'));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      // The printed command names the file (the scenario is not in the library): run it as printed.
      const args = [...line.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
      expect(args).toEqual([expect.stringMatching(/^race\[who=(a@b|c)\]@v6\.1:/), pin]);
      const again = cli('replay', ...args);
      expect(again.err).toBe('');
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/^race\[who=(a@b|c)\] on v6\.1\n/);
    }
  });

  it("prints a command that replays when pasted: replay's own names the file it read", () => {
    const { pin } = inDir();
    const token = 'race[who=c]@v6.1:0.1';
    const r = cli('replay', token, pin);
    expect(r.code).toBe(0);
    const line = r.out.split('\n').find((l) => l.includes('replay: pinlab replay')) ?? '';
    const args = [...line.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
    expect(args).toEqual([token, pin]);
    expect(cli('replay', ...args)).toMatchObject({ code: 0, err: '' });
    // A library scenario's needs no file.
    const lib = cli('replay', 'dio-read-fork[path=blkdev]@v6.4:0.1.1');
    expect(lib.out).toContain("replay: pinlab replay 'dio-read-fork[path=blkdev]@v6.4:0.1.1'\n");
  });
});
