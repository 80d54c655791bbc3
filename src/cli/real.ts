import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir, version } from 'node:os';
import { join } from 'node:path';
import { profileForKernel } from '../model/profile/host.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../model/profile/profiles.js';
import type { ParsedScenario } from '../scenario/index.js';
import { runSuite } from '../suite/run.js';
import { isArgsError, parseArgs, positiveInt } from './args.js';
import { refusals } from '../export/index.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import {
  memlockLimit,
  odirectWorks,
  rootReasons,
  rootSetup,
  runPrepared,
  UNPRIVILEGED,
  type Host,
} from './privilege.js';
import { buildKpageHelper } from './kpage-helper.js';
import {
  compareRun,
  compileExport,
  realFailed,
  realSummary,
  realTable,
  refusedRow,
  scenarioRow,
  type RealRow,
} from './real-rows.js';
import type { Io } from './run.js';

const DEFAULT_REAL_RUNS = 200;

/** The profile of the running kernel (`uname -r`, `uname -v`): its stable series, or the newest release not newer. */
export function hostProfile(
  uname: string,
  unameVersion = '',
): { profile: KernelProfile; why: string } | string {
  const match = profileForKernel(uname, unameVersion);
  if (match === null) return `no modelled release is as old as the running kernel ${uname}`;
  const p = kernelProfile(match.profile);
  return isProfileError(p) ? `no profile for ${match.profile}` : { profile: p, why: match.why };
}

/** Compile and run one exported scenario; its rows. */
function realRows(
  s: ParsedScenario,
  profile: KernelProfile,
  runs: number,
  work: string,
  host: Host,
): RealRow[] {
  const refused = refusedRow(s);
  if (refused !== null) return [refused];
  const model = runSuite([s], [profile]);
  const dir = mkdtempSync(join(work, 'scenario-'));
  const prog = compileExport(s, profile, runs, dir, []);
  if (prog.error !== null) return [scenarioRow(s, 'error', prog.error)];
  const ran = runPrepared(s.scenario, prog.binary, [String(runs)], dir, host, 60_000 + runs * 200);
  if (typeof ran === 'string') return [scenarioRow(s, 'error', ran)];
  const failure = ran.status !== 0 ? (ran.error?.message ?? `exit ${ran.status}`) : null;
  return compareRun(s, model, ran.stdout ?? '', failure);
}

/**
 * Export, compile and run each scenario on this machine's kernel (as `pinlab real` and the lab's host
 * row do), saying through `say` what pinlab sets up as root and which programs keep root.
 */
export function runHere(
  scenarios: readonly ParsedScenario[],
  profile: KernelProfile,
  runs: number,
  say: (text: string) => void,
): RealRow[] {
  const work = mkdtempSync(join(tmpdir(), 'pinlab-real-'));
  const root = process.getuid?.() === 0;
  const kpage = root ? buildKpageHelper(work) : null;
  if (kpage !== null && typeof kpage !== 'string') say(`THP checks keep root: ${kpage.why}\n`);
  const host: Host = {
    odirect: odirectWorks(work),
    memlock: memlockLimit(),
    kpage: typeof kpage === 'string' ? kpage : null,
  };
  if (root) chmodSync(work, 0o711); // the unprivileged user reaches its programs, lists nothing
  say(
    root
      ? `each program runs as uid ${UNPRIVILEGED.uid} unless it needs root (said below), in a private directory, under limits; what only root may set up, pinlab sets up first (said below)\n`
      : 'each program runs as this user (not root: loop devices, ext4 images and THP checks skip), in a private directory, under limits\n',
  );
  const rows: RealRow[] = [];
  try {
    for (const s of scenarios) {
      const exported = refusals(s.scenario).length === 0;
      const why = exported ? rootReasons(s.scenario, host) : [];
      const setup = exported && root ? rootSetup(s.scenario, host) : [];
      if (setup.length > 0) say(`${s.scenario.id}: pinlab sets up as root: ${setup.join('; ')}\n`);
      if (root && why.length > 0) say(`${s.scenario.id}: runs as root: ${why.join('; ')}\n`);
      rows.push(...realRows(s, profile, runs, work, host));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/**
 * `pinlab real [FILES...] [--runs N]`: export each scenario, compile it with `cc`, run it on this kernel
 * and compare with the model's verdicts for the closest release. Exit 1 on a contradiction (a condition
 * the model rules out that the kernel showed, or the reverse for `always`) or a program that failed.
 * Refused scenarios, and features this machine lacks, are reported and skipped.
 */
export function realCommand(args: readonly string[], io: Io): number {
  const p = parseArgs(args, { runs: 'value' });
  const fail = (m: string): number => {
    io.err(`pinlab real: ${m}\n`);
    return 2;
  };
  if (isArgsError(p)) return fail(p.error);
  const runs = positiveInt('runs', p.values.get('runs')?.at(-1)) ?? DEFAULT_REAL_RUNS;
  if (typeof runs === 'string') return fail(runs);
  const uname = release();
  const kernel = hostProfile(uname, version());
  if (typeof kernel === 'string') return fail(kernel);
  const { profile } = kernel;
  const loaded = loadScenarios(p.positionals.length > 0 ? p.positionals : libraryFiles(), displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  if (spawnSync('cc', ['--version']).error !== undefined) {
    io.out(`pinlab real: skipped: no C compiler ('cc') on this machine\n`);
    return 0;
  }
  io.out(
    `running kernel ${uname}: the model's profile ${profile.name} (${kernel.why}); ${runs} runs per scenario\n`,
  );
  const rows = runHere(loaded.scenarios, profile, runs, io.out);
  io.out('\n');
  io.out(`${realTable(rows, profile.name)}\n${realSummary(rows)}`);
  return realFailed(rows) ? 1 : 0;
}
