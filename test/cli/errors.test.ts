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
    // --quiet: a busy machine's progress line (after a second) is not what this test reads.
    const r = cli('check', '--kernel', 'v6.18', '--set', 'cow.reuse=refcount', '--quiet');
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
