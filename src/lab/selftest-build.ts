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

/** The built programs of one source tree, or why none: a tree without cow.c (before v6.2) says so. */
export type SelftestBuild =
  | { readonly ok: true; readonly dir: string; readonly programs: ReadonlyMap<SelftestProgram, string> }
  | { readonly ok: false; readonly why: string };

export function buildSelftests(deb: string, source: string, cacheDir: string): SelftestBuild {
  const failed = extract(deb, source, cacheDir);
  if (failed !== null) return { ok: false, why: failed };
  const mm = join(cacheDir, source, 'tools/testing/selftests/mm');
  if (!existsSync(join(mm, 'cow.c'))) return { ok: false, why: `${source} has no selftests/mm/cow.c` };
  writeFileSync(join(mm, 'local_config.h'), '#define LOCAL_CONFIG_HAVE_LIBURING 1\n');
  const programs = new Map<SelftestProgram, string>();
  for (const p of SELFTESTS) {
    const out = join(mm, p);
    if (!existsSync(out)) {
      const cc = spawnSync(
        'cc',
        ['-static', '-Wall', '-O2', '-U_FORTIFY_SOURCE', '-I.', '-isystem', '../../../include/uapi'].concat([
          '-o',
          p,
          `${p}.c`,
          'vm_util.c',
          'thp_settings.c',
          '-lrt',
          '-lpthread',
          '-lm',
          '-luring',
        ]),
        { cwd: mm, encoding: 'utf8' },
      );
      if (cc.status !== 0)
        return {
          ok: false,
          why: `cc ${p}.c failed: ${(cc.stderr || String(cc.error)).split('\n').find((l) => l.includes('error')) ?? ''}`,
        };
    }
    programs.set(p, out);
  }
  return { ok: true, dir: mm, programs };
}
