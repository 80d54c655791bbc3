import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { printable } from '../../src/report/printable.js';

// eslint-disable-next-line no-control-regex -- what must not reach a terminal or a KTAP reader
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

describe('printable', () => {
  it('writes each control character but tab and newline as a six-character escape, and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const p = printable(s);
        expect(p.match(CONTROL)).toBeNull();
        expect(p.length).toBe(s.length + 5 * (s.match(CONTROL)?.length ?? 0));
        if (s.match(CONTROL) === null) expect(p).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reports of a scenario whose axis value carries ESC, BEL and CR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-printable-'));
  const file = join(dir, 'esc.pin');
  writeFileSync(
    file,
    [
      'scenario esc',
      'intent: An axis value with control characters.',
      'source: a test of the reporters',
      'axis who = "a\u001b[2J\u0007\rok 1 forged" | c',
      '',
      'process P',
      '  map buf anon private',
      '',
      'thread A in P',
      '  write buf "A"',
      '',
      'exists (P:buf == "A") as a-wins',
      'expect a-wins: never on all',
      '',
    ].join('\n'),
  );
  it.each(['text', 'ktap'])('%s carries none of them, and KTAP no forged line', (format) => {
    let out = '';
    run(['check', file, '--kernel', 'v6.6', '--format', format, '--quiet'], {
      version: 'test',
      out: (s) => (out += s),
      err: () => undefined,
    });
    expect(out).toContain('esc[who=a\\u001b[2J\\u0007\\u000dok 1 forged]');
    expect(out.match(CONTROL)).toBeNull();
    expect(out.split('\n').filter((l) => /^\s*ok 1 forged/.test(l))).toEqual([]);
  });
});
