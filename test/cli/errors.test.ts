import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

/** One line on stderr: no stack trace. */
const ONE_LINE = /^[^\n]+\n$/;

describe('what-ifs the model cannot run', () => {
  it.each([
    [['--set', 'gup.pin=absent'], 'v6.5[gup.pin=absent]: dio.extract=pin pins pages with pin_user_pages()'],
    [['--kernel', 'v4.19', '--set', 'dio.extract=pin'], 'v4.19[dio.extract=pin]: dio.extract=pin pins'],
    [['--set', 'vmsplice.grab=pin'], 'v4.19[vmsplice.grab=pin]: vmsplice.grab=pin pins'],
  ])('refuses check %j before the run: exit 2, which policies conflict', (args, message) => {
    const r = cli('check', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(ONE_LINE);
    expect(r.err).toContain(`pinlab check: ${message}`);
    expect(r.out).toBe('');
  });

  it('reports an operation the model cannot complete as a located model error: exit 3, one line', () => {
    // --quiet: a search the busy machine keeps past a second would print a progress line first.
    const r = cli('check', '--quiet', '--kernel', 'v6.18', '--set', 'cow.reuse=refcount');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(ONE_LINE);
    expect(r.err).toMatch(
      /^pinlab check: model error: scenarios\/[a-z-]+\.pin:\d+:\d+: [^ ]+ on v6\.18\[cow\.reuse=refcount\]: the model cannot run it: /,
    );
  });

  it('refuses a --kernel list that names no kernel', () => {
    const r = cli('check', '--kernel', ',,,');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pinlab check: --kernel names no kernel \(known: v4\.19 .*\)\n$/);
  });
});

describe('two scenario files with the same name', () => {
  it('are refused (exit 2), the message naming both files; one file given twice is read once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinlab-dup-'));
    const text = readFileSync('scenarios/ro-pin-unshare.pin', 'utf8');
    const [a, b] = ['a', 'b'].map((d) => {
      mkdirSync(join(dir, d));
      const f = join(dir, d, 'ro-pin-unshare.pin');
      writeFileSync(f, text);
      return f;
    }) as [string, string];
    const r = cli('check', a, b, '--kernel', 'v6.1', '--quiet');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `${b}:1:1: scenario 'ro-pin-unshare' is also in ${a}:1:1: two scenarios may not share a name ` +
        '(their rows would merge; rename one file)\n',
    );
    expect(cli('check', a, a, '--kernel', 'v6.1', '--quiet').out).toMatch(
      /\n1 passed, 0 failed, 0 skipped\n$/,
    );
  });
});
