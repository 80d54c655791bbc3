import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir, version } from 'node:os';
import { join } from 'node:path';
import { compareVerdict, parseKtap, refusals, type Outcome } from '../export/index.js';
import { profileForKernel } from '../model/profile/host.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../model/profile/profiles.js';
import type { ParsedScenario } from '../scenario/index.js';
import { runSuite } from '../suite/run.js';
import { isArgsError, parseArgs, positiveInt } from './args.js';
import { exportScenario } from './export-c.js';
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
import type { Io } from './run.js';

const DEFAULT_REAL_RUNS = 200;

/** One line of the comparison: a condition, or a whole scenario that was refused, skipped or failed. */
interface RealRow {
  readonly scenario: string;
  readonly condition: string;
  readonly model: string;
  readonly kernel: string;
  readonly outcome: Outcome | 'refused' | 'error' | 'unchecked';
  readonly why: string;
}

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

function scenarioRow(s: ParsedScenario, outcome: RealRow['outcome'], why: string): RealRow {
  return { scenario: s.scenario.id, condition: '-', model: '-', kernel: '-', outcome, why };
}

/** Compile and run one exported scenario; its rows. */
function realRows(
  s: ParsedScenario,
  profile: KernelProfile,
  runs: number,
  work: string,
  host: Host,
): RealRow[] {
  const refused = refusals(s.scenario);
  if (refused.length > 0) {
    const r = refused[0];
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : '';
    return [scenarioRow(s, 'refused', `${r?.where ?? ''}: ${r?.reason ?? ''}${more}`)];
  }
  const model = runSuite([s], [profile]);
  const dir = mkdtempSync(join(work, 'scenario-'));
  const src = join(dir, 'prog.c');
  writeFileSync(src, exportScenario(s, [profile], runs));
  const built = spawnSync('cc', ['-O2', '-Wall', '-Werror', '-pthread', '-o', join(dir, 'prog'), src], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (built.status !== 0)
    return [
      scenarioRow(s, 'error', `cc failed: ${(built.stderr || String(built.error)).split('\n')[0] ?? ''}`),
    ];
  const ran = runPrepared(s.scenario, join(dir, 'prog'), [String(runs)], dir, host, 60_000 + runs * 200);
  if (typeof ran === 'string') return [scenarioRow(s, 'error', ran)];
  const ktap = parseKtap(ran.stdout ?? '');
  if (ktap.bail !== null || ran.status !== 0)
    return [
      scenarioRow(
        s,
        'error',
        `the program failed: ${ktap.bail ?? ran.error?.message ?? `exit ${ran.status}`}`,
      ),
    ];
  const invariants = model.filter((r) => r.kind === 'invariant');
  const rows = s.scenario.conditions.map((c, i): RealRow => {
    const line = ktap.lines.find((l) => l.index === i + 1);
    const verdict =
      model.find((r) => r.kind === 'condition' && r.condition === c.name)?.verdict ?? 'unavailable';
    const base = { scenario: s.scenario.id, condition: c.name, model: verdict };
    if (line === undefined) return { ...base, kernel: '-', outcome: 'error', why: 'no KTAP line for it' };
    if (line.skip !== null) return { ...base, kernel: 'skipped', outcome: 'skip', why: line.skip };
    const seen = line.seen ?? 0;
    const total = line.runs ?? 0;
    const cmp = compareVerdict(verdict, seen, total);
    return { ...base, kernel: `${seen}/${total}`, outcome: cmp.outcome, why: cmp.why };
  });
  const unobservable = invariants.map((r): RealRow => ({
    scenario: s.scenario.id,
    condition: `[${r.condition}]`,
    model: r.verdict,
    kernel: '-',
    outcome: 'unchecked',
    why: '',
  }));
  return [...rows, ...unobservable];
}

function table(rows: readonly RealRow[], kernel: string): string {
  const head = ['scenario', 'condition', `model ${kernel}`, 'kernel (runs seen)', 'outcome'];
  const cells = rows.map((r) => [r.scenario, r.condition, r.model, r.kernel, r.outcome]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => x.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
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
  const work = mkdtempSync(join(tmpdir(), 'pinlab-real-'));
  const root = process.getuid?.() === 0;
  const kpage = root ? buildKpageHelper(work) : null;
  if (kpage !== null && typeof kpage !== 'string') io.out(`THP checks keep root: ${kpage.why}\n`);
  const host: Host = {
    odirect: odirectWorks(work),
    memlock: memlockLimit(),
    kpage: typeof kpage === 'string' ? kpage : null,
  };
  if (root) chmodSync(work, 0o711); // the unprivileged user reaches its programs, lists nothing
  io.out(
    root
      ? `each program runs as uid ${UNPRIVILEGED.uid} unless it needs root (said below), in a private directory, under limits; what only root may set up, pinlab sets up first (said below)\n`
      : 'each program runs as this user (not root: loop devices, ext4 images and THP checks skip), in a private directory, under limits\n',
  );
  const rows: RealRow[] = [];
  try {
    for (const s of loaded.scenarios) {
      const exported = refusals(s.scenario).length === 0;
      const why = exported ? rootReasons(s.scenario, host) : [];
      const setup = exported && root ? rootSetup(s.scenario, host) : [];
      if (setup.length > 0) io.out(`${s.scenario.id}: pinlab sets up as root: ${setup.join('; ')}\n`);
      if (root && why.length > 0) io.out(`${s.scenario.id}: runs as root: ${why.join('; ')}\n`);
      rows.push(...realRows(s, profile, runs, work, host));
    }
    io.out('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  io.out(`${table(rows, profile.name)}\n`);
  const notes = rows.filter((r) => r.why !== '' && r.outcome !== 'agree');
  if (notes.length > 0) io.out('\n');
  for (const r of notes)
    io.out(`${r.outcome}: ${r.scenario}${r.condition === '-' ? '' : ` ${r.condition}`}: ${r.why}\n`);
  const bad = rows.filter((r) => r.outcome === 'contradiction' || r.outcome === 'error');
  const count = (o: RealRow['outcome']): number => rows.filter((r) => r.outcome === o).length;
  io.out(
    `\n${count('agree')} agree, ${count('contradiction')} contradictions, ${count('note')} notes, ` +
      `${count('skip')} skipped, ${count('refused')} scenarios refused, ${count('error')} errors; ` +
      `${count('unchecked')} invariants not checked (not observable from user space)\n`,
  );
  return bad.length > 0 ? 1 : 0;
}
