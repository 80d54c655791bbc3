import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { HAVE_CC } from './cc.js';

/**
 * Scenario text an attacker controls, as `.pin` string literals: each tries to leave the comment or the
 * string it lands in and define a function that runs before main. The axis values name each expansion
 * (in the program's header comment and its SCENARIO string); the data (at most 31 bytes, or the export
 * refuses it) is written, compared and named in tables.
 */
const HOSTILE = {
  axis: [
    '"*/ __attribute__((constructor)) static void pwn(void) { __builtin_trap(); } /*"',
    '"\\"; __attribute__((constructor)) static void pwn2(void) { __builtin_trap(); } static char *q = \\""',
    '"??/\\\\\\n#define main pwn3"',
  ],
  data: ['"*/ int pwn4; /*"', '"\\"; int pwn5; char *q = \\""'],
};
const BENIGN = { axis: ['"a"', '"b"', '"c"'], data: ['"A"', '"B"'] };

/** A vmsplice leak whose axis only names its expansions, with attacker-chosen data. */
const scenario = (v: typeof HOSTILE): string => `scenario hostile
intent: hostile values in every place a scenario's text reaches the C program.
source: pinlab's security tests

axis tag = ${v.axis.join(' | ')}

pipe p

process P
  map buf anon private
process C forked

setup
  T0: write buf ${v.data[0] ?? ''}

thread T0 in P
  fork C
  write buf ${v.data[1] ?? ''}

thread T1 in C
  vmsplice buf -> p
  munmap buf
  pipe-read p -> seen

exists (T1:seen == ${v.data[1] ?? ''}) as leak
`;

const work = mkdtempSync(join(tmpdir(), 'pinlab-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What one compiled export defines and runs before main: its symbols and its .init_array's size. */
interface Built {
  readonly symbols: readonly string[];
  readonly initArray: string;
}

/** Export every expansion of `text` (a file without `.pin`: the scenario's own name is its id) and build each. */
function exportAndBuild(name: string, text: string): Built[] {
  const dir = join(work, name);
  const input = join(work, `${name}-scenario`);
  writeFileSync(input, text);
  const r = run(['export-c', input, '-o', `${dir}.c`, '--kernel', 'v5.4'], {
    version: 'test',
    out: () => undefined,
    err: () => undefined,
  });
  expect(r).toBe(0);
  const sources = readdirSync(work).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.c'));
  expect(sources).toHaveLength(3);
  return sources.sort().map((src) => {
    const exe = join(work, `${src}.exe`);
    const cc = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-pthread', '-o', exe, join(work, src)], {
      encoding: 'utf8',
    });
    expect(cc.stderr).toBe('');
    const nm = spawnSync('nm', ['--defined-only', '--format=just-symbols', exe], { encoding: 'utf8' });
    const sections = spawnSync('readelf', ['-S', '-W', exe], { encoding: 'utf8' }).stdout;
    const initArray = /\.init_array\s+\S+\s+\S+\s+\S+\s+(\S+)/.exec(sections)?.[1] ?? 'none';
    return { symbols: nm.stdout.split('\n').filter((s) => s !== ''), initArray };
  });
}

const HAVE_BINUTILS = ['nm', 'readelf'].every((t) => spawnSync(t, ['--version']).error === undefined);

describe('a hostile scenario exported as C', () => {
  it.skipIf(!HAVE_CC || !HAVE_BINUTILS)(
    'compiles to the same symbols and constructors as a harmless one: no user-chosen symbol, nothing runs before main',
    () => {
      const hostile = exportAndBuild('hostile', scenario(HOSTILE));
      const benign = exportAndBuild('benign', scenario(BENIGN));
      for (const [i, h] of hostile.entries()) {
        expect(h.symbols.filter((s) => s.includes('pwn'))).toEqual([]);
        expect(h.symbols).toEqual(benign[i]?.symbols);
        expect(h.initArray).toBe(benign[i]?.initArray);
      }
    },
    600_000,
  );
});
