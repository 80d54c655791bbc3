import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pinlab-failed-'));

/** FOLL_LONGTERM without FOLL_PIN: mm/gup.c is_valid_gup_args() refuses it with -EINVAL. */
const LONGTERM_GET = `scenario longterm-get
intent: A long-term reference is refused; a condition on the buffer must not be misread.
source: a test of the CLI

process P
  map buf anon private

thread A in P
  write buf "A"
  get buf longterm as h
thread B in P
  write buf "B"

exists (P:buf == "A") as a-wins
expect a-wins: sometimes on all
`;

describe('a failed operation in the text output', () => {
  it('warns with the operation, the releases and the errno', () => {
    const file = join(dir, 'longterm-get.pin');
    writeFileSync(file, LONGTERM_GET);
    const r = cli('check', file, '--kernel', 'v6.1,v6.12', '--quiet');
    expect(r.out).toContain(
      "\nwarning: longterm-get on all: thread A's operation 2 (gup) always returns -22 (EINVAL)\n",
    );
  });

  it('gives no warning when every operation succeeds', () => {
    const file = join(dir, 'race.pin');
    writeFileSync(file, LONGTERM_GET.replace('  get buf longterm as h\n', ''));
    const r = cli('check', file, '--kernel', 'v6.12', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('warning:');
  });
});
