import type { KernelProfile } from '../model/profile/profiles.js';
import { releaseAtLeast, type Release } from '../model/profile/release.js';
import type { KsftOutcome, KsftTest } from '../selftests/kselftest.js';
import { DEFAULT_MACHINE, type Selftest, type SelftestMachine } from '../selftests/selftest.js';

/**
 * A real selftest run (cow, gup_longterm) against `pinlab cow` / `pinlab gup-longterm` on the
 * kernel's profile, case by case: the model is told the machine the real program detected (its
 * `[INFO] detected ...` lines), and the two outputs are paired by test number and `[RUN]` line.
 */
const RESULT = /^(ok|not ok) (\d+)(?: # (SKIP|XFAIL|error)\b ?(.*)| (.*))?$/;

/** The test results of a kselftest program's KTAP output. */
export function parseKsft(text: string): KsftTest[] {
  const out: KsftTest[] = [];
  let run = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('# [RUN] ')) run = line.slice('# [RUN] '.length);
    const m = RESULT.exec(line);
    if (m === null) continue;
    const directive = m[3];
    const outcome: KsftOutcome =
      directive === 'SKIP'
        ? 'skip'
        : directive === 'XFAIL'
          ? 'xfail'
          : directive === 'error'
            ? 'error'
            : m[1] === 'ok'
              ? 'pass'
              : 'fail';
    out.push({ num: Number(m[2]), run, outcome, msg: (directive === undefined ? m[5] : m[4]) ?? '' });
  }
  return out;
}

/** What the lab knows of the machine beyond what the real program printed. */
export interface LabMachine {
  /** The lab's module answered /sys/kernel/debug/gup_test (lab/kmod): the gup_test cases run. */
  readonly gupTestStandIn?: boolean;
  /** The release whose selftest sources were built (their strings), null for the kernel's own. */
  readonly selftestsOf?: Release | null;
  /** Free hugetlb pages per size in KiB the VM has (its init sets nr_hugepages of the default size). */
  readonly hugetlbPages?: Readonly<Record<number, number>>;
}

/**
 * The machine the real program reported: THP sizes, hugetlb sizes, the huge zeropage (the 7.2 tree
 * prints no line for it, only "Huge zeropage not enabled" where it is off); no gup_test of the
 * kernel's own (Debian's kernels lack CONFIG_GUP_TEST), and what the lab says of the rest.
 */
export function detectedMachine(text: string, lab: LabMachine = {}): SelftestMachine {
  const sizes = (what: string): number[] =>
    [...text.matchAll(new RegExp(`^# \\[INFO\\] detected ${what} size: (\\d+) KiB$`, 'gm'))].map((m) =>
      Number(m[1]),
    );
  const thp = sizes('THP');
  const pmd = DEFAULT_MACHINE.pmdSizeKb;
  // From the 7.2 tree main() prints no line for an enabled huge zeropage (cowEdition's hugetlbSetup).
  const quiet =
    lab.selftestsOf !== undefined && lab.selftestsOf !== null && releaseAtLeast(lab.selftestsOf, 'v7.2');
  const hugeZeropage = quiet
    ? thp.includes(pmd) && !/^# Huge zeropage not enabled$/m.test(text)
    : /^# \[INFO\] huge zeropage is enabled$/m.test(text);
  return {
    thpSizesKb: thp,
    pmdSizeKb: thp.includes(pmd) ? pmd : 0,
    hugetlbSizesKb: sizes('hugetlb page'),
    hugetlbPages: lab.hugetlbPages ?? {},
    swap: true,
    hugeZeropage,
    gupTest: false,
    gupTestStandIn: lab.gupTestStandIn ?? false,
    selftestsOf: lab.selftestsOf ?? null,
  };
}

/** The release of a source tree named `linux-source-X.Y VERSION`, or null. */
export function treeRelease(tree: string): Release | null {
  const m = /^linux-source-(\d+)\.(\d+)\b/.exec(tree);
  return m === null ? null : `v${Number(m[1])}.${Number(m[2])}`;
}

export type CaseOutcome = 'agree' | 'disagree' | 'skipped' | 'unmatched';

export interface CaseRow {
  readonly num: number;
  readonly run: string;
  readonly real: string;
  readonly model: string;
  readonly outcome: CaseOutcome;
}

export interface SelftestComparison {
  readonly program: string;
  readonly machine: SelftestMachine;
  /** The real program's results, as it printed them. */
  readonly real: readonly KsftTest[];
  readonly cases: readonly CaseRow[];
  readonly counts: Readonly<Record<CaseOutcome, number>>;
}

/** A result as the real program printed it (a record keeps no message). */
export interface RealCase {
  readonly num: number;
  readonly run: string;
  readonly outcome: string;
  readonly msg?: string;
}

function shown(t: RealCase | undefined): string {
  return t === undefined ? '-' : `${t.outcome}${t.msg === undefined || t.msg === '' ? '' : `: ${t.msg}`}`;
}

/**
 * Pair each real result with the model's by position and `[RUN]` line: both ran (pass, fail, xfail)
 * and differ is a disagreement; either side skipped is a skip.
 */
export function pairCases(
  real: readonly RealCase[],
  model: readonly KsftTest[],
): { cases: CaseRow[]; counts: Record<CaseOutcome, number> } {
  const ran = (t: RealCase): boolean => t.outcome !== 'skip';
  const cases: CaseRow[] = [];
  for (let i = 0; i < Math.max(real.length, model.length); i++) {
    const r = real[i];
    const m = model[i];
    const outcome: CaseOutcome =
      r === undefined || m === undefined || r.run !== m.run
        ? 'unmatched'
        : !ran(r) || !ran(m)
          ? 'skipped'
          : r.outcome === m.outcome
            ? 'agree'
            : 'disagree';
    cases.push({ num: i + 1, run: r?.run ?? m?.run ?? '', real: shown(r), model: shown(m), outcome });
  }
  const count = (o: CaseOutcome): number => cases.filter((c) => c.outcome === o).length;
  return {
    cases,
    counts: {
      agree: count('agree'),
      disagree: count('disagree'),
      skipped: count('skipped'),
      unmatched: count('unmatched'),
    },
  };
}

/** A real run's output against the model of the profile, told the machine the real program detected. */
export function compareSelftest(
  test: Selftest,
  profile: KernelProfile,
  realText: string,
  lab: LabMachine = {},
): SelftestComparison {
  const machine = detectedMachine(realText, lab);
  const real = parseKsft(realText);
  return { program: test.name, machine, real, ...pairCases(real, test.run(profile, machine).tests) };
}
