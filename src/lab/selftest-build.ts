import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The kernel's own mm selftests (cow, gup_longterm), built statically from a Debian `linux-source-*`
 * package: only the files they include are taken out of its tarball, then compiled with the flags of
 * the selftest Makefile and liburing, as the selftest's check_config.sh finds it.
 */
export const SELFTESTS = ['cow', 'gup_longterm'] as const;
export type SelftestProgram = (typeof SELFTESTS)[number];

/** What the two programs include: their directory, kselftest.h, mm/gup_test.h and the tools headers. */
const WANTED = [
  'tools/testing/selftests/mm/*',
  'tools/testing/selftests/kselftest*',
  'mm/gup_test.h',
  'tools/include/*',
  'tools/arch/x86/include/*',
];

/** Extract the wanted files of `<source>.tar.xz` inside the .deb into `dest` (unless done before). */
function extract(deb: string, source: string, dest: string): string | null {
  const tree = join(dest, source);
  if (existsSync(join(dest, 'extracted'))) return null;
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const script =
    'dpkg-deb --fsys-tarfile "$1" | tar -xO "./usr/src/$2.tar.xz" | ' +
    'tar -xJ -C "$3" --wildcards ' +
    WANTED.map((_, i) => `"$2/\${${i + 4}}"`).join(' ');
  const r = spawnSync('bash', ['-c', script, 'extract', deb, source, dest, ...WANTED], { encoding: 'utf8' });
  // tar fails on a pattern nothing matches (no selftests/mm before v6.0): judge by what came out.
  if (!existsSync(join(tree, 'tools', 'include')))
    return `extracting the selftests of ${source} failed: ${(r.stderr || String(r.error)).trim().split('\n').at(-1) ?? ''}`;
  writeFileSync(join(dest, 'extracted'), '');
  return null;
}

/**
 * The programs one source tree could build, and why each other one could not: a tree without cow.c
 * (before v6.2) or gup_longterm.c (before v6.5) lacks it, and then the lab takes it from another tree.
 */
export interface SelftestBuild {
  readonly programs: ReadonlyMap<SelftestProgram, string>;
  readonly failed: readonly string[];
}

/**
 * The helper sources a tree's mm selftests link with: vm_util.c and the THP settings helpers, which
 * the 7.2 tree renamed thp_settings.c to hugepage_settings.c (with its hugetlb_setup()).
 */
function helperSources(mm: string): string[] {
  return ['vm_util.c', 'thp_settings.c', 'hugepage_settings.c'].filter((f) => existsSync(join(mm, f)));
}

/**
 * Linked into each selftest: stdout line-buffered, as it was on the serial port the lab once used. In
 * the VM it is a file, which stdio would buffer whole: a selftest killed at its limit would leave no
 * lines, and a child forked with a full buffer would print its parent's lines again.
 */
const LINE_BUFFERED = 'pinlab_linebuf.c';
const LINE_BUFFERED_SOURCE = `#include <stdio.h>
__attribute__((constructor)) static void pinlab_linebuf(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}
`;

export function buildSelftests(
  deb: string,
  source: string,
  cacheDir: string,
  wanted: readonly SelftestProgram[] = SELFTESTS,
): SelftestBuild {
  const failed = extract(deb, source, cacheDir);
  if (failed !== null) return { programs: new Map(), failed: [failed] };
  const mm = join(cacheDir, source, 'tools/testing/selftests/mm');
  // Before v6.0 the directory was selftests/vm, and it had neither program.
  if (!existsSync(mm)) return { programs: new Map(), failed: [`${source} has no selftests/mm`] };
  writeFileSync(join(mm, 'local_config.h'), '#define LOCAL_CONFIG_HAVE_LIBURING 1\n');
  writeFileSync(join(mm, LINE_BUFFERED), LINE_BUFFERED_SOURCE);
  const programs = new Map<SelftestProgram, string>();
  const why: string[] = [];
  for (const p of wanted) {
    const out = join(mm, `${p}.lab`);
    if (!existsSync(join(mm, `${p}.c`))) {
      why.push(`${source} has no selftests/mm/${p}.c`);
      continue;
    }
    if (!existsSync(out)) {
      // -I..: the 7.2 tree includes "kselftest.h" from tools/testing/selftests, older ones "../kselftest.h".
      const cc = spawnSync(
        'cc',
        [
          '-static',
          '-Wall',
          '-O2',
          '-U_FORTIFY_SOURCE',
          '-I.',
          '-I..',
          '-isystem',
          '../../../include/uapi',
        ].concat([
          '-o',
          out,
          `${p}.c`,
          LINE_BUFFERED,
          ...helperSources(mm),
          '-lrt',
          '-lpthread',
          '-lm',
          '-luring',
        ]),
        { cwd: mm, encoding: 'utf8' },
      );
      if (cc.status !== 0) {
        why.push(
          `cc ${p}.c failed: ${(cc.stderr || String(cc.error)).split('\n').find((l) => l.includes('error')) ?? ''}`,
        );
        continue;
      }
    }
    programs.set(p, out);
  }
  return { programs, failed: why };
}
