import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';
import { traceFileSchema } from '../../src/report/schema.js';

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

  it('is in JSON (schema 1.2.0), in JUnit system-err and as KTAP # warning: lines', () => {
    const file = join(dir, 'longterm-get.pin');
    writeFileSync(file, LONGTERM_GET);
    const json = cli('check', file, '--kernel', 'v6.12', '--quiet', '--format', 'json');
    const j = JSON.parse(json.out) as { schemaVersion: string; results: { failed: unknown }[] };
    expect(j.schemaVersion).toBe('1.4.0');
    expect(traceFileSchema.safeParse(j).success).toBe(true);
    for (const r of j.results)
      expect(r.failed).toEqual([{ thread: 'A', line: 2, op: 'gup', errnos: [-22], always: true }]);
    const junit = cli('check', file, '--kernel', 'v6.1,v6.12', '--quiet', '--format', 'junit');
    expect(junit.out).toContain(
      '    <system-err>warning: longterm-get on v6.1: thread A&apos;s operation 2 (gup) always returns -22 (EINVAL)\n'.replace(
        '&apos;',
        "'",
      ),
    );
    expect(junit.out).toMatch(
      /on v6\.12: thread A's operation 2 \(gup\) always returns -22 \(EINVAL\)<\/system-err>\n {2}<\/testsuite>/,
    );
    const ktap = cli('check', file, '--kernel', 'v6.12', '--quiet', '--format', 'ktap');
    expect(ktap.out).toContain(
      "\n        # warning: thread A's operation 2 (gup) always returns -22 (EINVAL)\n",
    );
  });

  it('gives no warning when every operation succeeds', () => {
    const file = join(dir, 'race.pin');
    writeFileSync(file, LONGTERM_GET.replace('  get buf longterm as h\n', ''));
    const r = cli('check', file, '--kernel', 'v6.12', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('warning:');
    expect(cli('check', file, '--kernel', 'v6.12', '--quiet', '--format', 'junit').out).not.toContain(
      'system-err',
    );
  });
});
