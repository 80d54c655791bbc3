import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archivesOf, machineSources } from '../lab/apt.js';
import { HOST_KERNEL, runHost } from '../lab/host-run.js';
import { runKernel, type KernelResult, type LabOptions } from '../lab/kernel-run.js';
import { labKernels, type LabKernel } from '../lab/kernels.js';
import { recordResults } from '../lab/record.js';
import { jsonReport, ktapReport, labFailed, textReport } from '../lab/report.js';
import type { SelftestProgram } from '../lab/selftest-build.js';
import { isArgsError, parseArgs, positiveInt } from './args.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';

const DEFAULT_LAB_RUNS = 100;
const FORMATS = ['text', 'json', 'ktap'] as const;

/** Where the lab keeps packages between runs: --cache, $PINLAB_LAB_CACHE, /var/cache as root, else the user's cache. */
export function labCacheDir(arg: string | undefined): string {
  if (arg !== undefined) return arg;
  const env = process.env['PINLAB_LAB_CACHE'];
  if (env !== undefined && env !== '') return env;
  if (process.getuid?.() === 0) return '/var/cache/pinlab-lab';
  return join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'pinlab-lab');
}

/** One kernel's run; what throws (a package laid out unlike the others) is that kernel's skip. */
function guarded(k: LabKernel, opts: LabOptions): KernelResult {
  try {
    return runKernel(k, opts);
  } catch (e) {
    const why = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    return {
      kernel: k.name,
      profile: k.profile,
      status: 'skipped',
      why,
      packages: [],
      accel: '-',
      uname: null,
      seconds: 0,
      runs: opts.runs,
      kmod: '-',
      notes: [],
      rows: [],
      selftests: [],
    };
  }
}

/**
 * `pinlab lab [FILES...] [--kernels LIST|all] [--runs N] [--cow] [--gup-longterm]`: boot each Debian
 * kernel in QEMU with the scenarios' exported programs (and the kernel's selftests) and compare what
 * they saw with the model of that kernel's profile. Exit 1 on a contradiction, a failed program or a
 * selftest case that disagrees; a kernel that cannot be fetched or booted is a skip with its reason.
 * `host` in the list adds the machine's own kernel, run as `pinlab real` runs it (no selftests).
 */
export function labCommand(args: readonly string[], io: Io): number {
  const p = parseArgs(args, {
    kernels: 'value',
    runs: 'value',
    cow: 'flag',
    'gup-longterm': 'flag',
    format: 'value',
    cache: 'value',
    record: 'value',
    'save-selftests': 'value',
  });
  const usage = (m: string): number => {
    io.err(`pinlab lab: ${m}\n`);
    return 2;
  };
  if (isArgsError(p)) return usage(p.error);
  // `host`: the machine's own kernel, run as `pinlab real` does, recorded beside the VM kernels.
  const named = (p.values.get('kernels') ?? ['6.1,6.12']).flatMap((l) => l.split(','));
  const host = named.includes(HOST_KERNEL);
  const kernels = labKernels(named.filter((n) => n !== HOST_KERNEL));
  if (typeof kernels === 'string') return usage(kernels);
  const runs = positiveInt('runs', p.values.get('runs')?.at(-1)) ?? DEFAULT_LAB_RUNS;
  if (typeof runs === 'string') return usage(runs);
  const format = p.values.get('format')?.at(-1) ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format))
    return usage(`--format is one of ${FORMATS.join(', ')}, not '${format.slice(0, 40)}'`);
  const loaded = loadScenarios(p.positionals.length > 0 ? p.positionals : libraryFiles(), displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  const archives = archivesOf(machineSources());
  if (kernels.length > 0 && archives === null)
    return usage('no Debian archive (and -security archive) in the apt sources');
  const selftests: SelftestProgram[] = [
    ...(p.flags.has('cow') ? (['cow'] as const) : []),
    ...(p.flags.has('gup-longterm') ? (['gup_longterm'] as const) : []),
  ];
  const save = p.values.get('save-selftests')?.at(-1);
  const work = mkdtempSync(join(tmpdir(), 'pinlab-lab-'));
  const results: KernelResult[] = [];
  try {
    for (const k of kernels)
      if (archives !== null)
        results.push(
          guarded(k, {
            cache: labCacheDir(p.values.get('cache')?.at(-1)),
            work,
            runs,
            selftests,
            scenarios: loaded.scenarios,
            repo: fileURLToPath(new URL('../../', import.meta.url)),
            archives,
            progress: (line) => io.err(`pinlab lab: ${line}\n`),
            ...(save === undefined ? {} : { saveSelftests: save }),
          }),
        );
    if (host) results.push(runHost(loaded.scenarios, runs, (line) => io.err(`pinlab lab: ${line}\n`)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const r of results) if (r.status === 'skipped') io.err(`pinlab lab: ${r.kernel} skipped: ${r.why}\n`);
  const record = p.values.get('record')?.at(-1);
  if (record !== undefined) recordResults(record, results, new Date());
  io.out(
    format === 'json' ? jsonReport(results) : format === 'ktap' ? ktapReport(results) : textReport(results),
  );
  return labFailed(results) ? 1 : 0;
}
