import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether the machine has a C compiler. */
export const HAVE_CC = spawnSync('cc', ['--version']).error === undefined;

/** `cc -fsyntax-only` with the flags the programs are built with: the compiler's complaints, or ''. */
export function syntaxCheck(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-export-'));
  try {
    const file = join(dir, 'prog.c');
    writeFileSync(file, source);
    const r = spawnSync('cc', ['-fsyntax-only', '-O2', '-Wall', '-Werror', '-pthread', file], {
      encoding: 'utf8',
    });
    return r.status === 0 ? '' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
