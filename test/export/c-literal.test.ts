import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cComment, cString } from '../../src/export/c-literal.js';
import { HAVE_CC } from './cc.js';

/** Strings an attacker would try: comment and string closers, escapes, trigraphs, NUL, newlines. */
const NASTY = [
  '*/',
  '/*',
  '"',
  '\\',
  '\\"',
  '??/',
  '??=',
  '\0',
  '\n',
  '\r\n',
  '\\\n',
  '*/ int x; /*',
  '\u2028',
  'é',
];

const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...NASTY));

/** The bytes a C string literal's body stands for: this test's own reading of C's escapes. */
function decode(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') out.push(c.charCodeAt(0));
    else if (/[0-7]/.test(body[i + 1] ?? '')) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '';
      out.push(parseInt(oct, 8));
      i += oct.length;
    } else out.push((body[++i] ?? '').charCodeAt(0));
  }
  return out;
}

describe('cString and cComment', () => {
  it('keep every byte of any string, and let nothing close or open a comment or a string', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const lit = cString(s);
        const body = lit.slice(1, -1);
        expect(lit).toMatch(/^"[\x20-\x7e]*"$/);
        expect(body).not.toMatch(/(^|[^\\])(\\\\)*"/);
        for (const bad of ['*/', '/*', '??']) expect(body).not.toContain(bad);
        expect(decode(body)).toEqual([...new TextEncoder().encode(s)]);
        expect(cComment(s)).toBe(`/* ${body} */`);
      }),
    );
  });

  // Each string's literal is compiled and the program prints its bytes: the compiler reads what pinlab
  // meant, and the comment before it (with -Wall -Werror: -Wcomment) neither ends early nor nests.
  it.skipIf(!HAVE_CC)(
    'round-trip through the C compiler as the same bytes',
    () => {
      fc.assert(
        fc.property(fc.array(anyString, { minLength: 1, maxLength: 40 }), (strings) => {
          const lines = strings.map(
            (s) => `\t${cComment(s)}\n\tshow(${cString(s)}, sizeof ${cString(s)} - 1);\n`,
          );
          const source = `#include <stdio.h>
static void show(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		printf("%02x", (unsigned char)s[i]);
	printf("\\n");
}
int main(void)
{
${lines.join('')}	return 0;
}
`;
          const hex = (s: string): string => Buffer.from(new TextEncoder().encode(s)).toString('hex');
          expect(compileAndRun(source)).toBe(strings.map((s) => `${hex(s)}\n`).join(''));
        }),
        { numRuns: 8, examples: [[NASTY]] },
      );
    },
    300_000,
  );
});

/** Build `source` with the export's flags and run it: its output, or the compiler's complaint. */
function compileAndRun(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-literal-'));
  try {
    writeFileSync(join(dir, 't.c'), source);
    const cc = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-o', join(dir, 't'), join(dir, 't.c')], {
      encoding: 'utf8',
    });
    if (cc.status !== 0) return `cc failed: ${cc.stderr}`;
    return spawnSync(join(dir, 't'), { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
