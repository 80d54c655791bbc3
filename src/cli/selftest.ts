import { RELEASES } from '../model/profile/profiles.js';
import { parseRelease } from '../model/profile/release.js';
import { ksftCount, type Ksft } from '../selftests/kselftest.js';
import { DEFAULT_MACHINE, type Selftest, type SelftestMachine } from '../selftests/selftest.js';
import { isArgsError, parseArgs } from './args.js';
import { jsonDocument } from '../report/document.js';
import { resolveKernels } from './kernels.js';
import type { Io } from './run.js';

const SPEC = {
  kernel: 'value',
  set: 'value',
  format: 'value',
  'thp-sizes': 'value',
  'hugetlb-sizes': 'value',
  'no-swap': 'flag',
  'no-huge-zeropage': 'flag',
  'no-gup-test': 'flag',
  'gup-test-stand-in': 'flag',
  'hugetlb-pages': 'value',
  selftests: 'value',
} as const;

const FORMATS = ['ktap', 'text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** `--thp-sizes 16,64,2048` (KiB, powers of two from 8 KiB to the PMD size), or an error. */
function sizes(name: string, v: string, allowed: (kb: number) => boolean): number[] | string {
  const list = v.split(',').filter((s) => s !== '');
  const out: number[] = [];
  for (const s of list) {
    const kb = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!allowed(kb)) return `--${name}: '${s}' is not a size in KiB pinlab models`;
    out.push(kb);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * `--hugetlb-pages 2048:64,1048576:0` (repeatable): the free pages of each hugetlb size, once the test
 * asked for them; or an error.
 */
function hugetlbPages(args: readonly string[], sizesKb: readonly number[]): Record<number, number> | string {
  const out: Record<number, number> = {};
  for (const item of args.flatMap((a) => a.split(',')).filter((s) => s !== '')) {
    const m = /^(\d+):(\d+)$/.exec(item);
    if (m === null) return `--hugetlb-pages: '${item.slice(0, 40)}' is not KIB:N`;
    const kb = Number(m[1]);
    if (!sizesKb.includes(kb))
      return `--hugetlb-pages: ${kb} KiB is not a hugetlb size of the machine (${sizesKb.join(', ')})`;
    out[kb] = Number(m[2]);
  }
  return out;
}

function machineOf(values: Map<string, string[]>, flags: Set<string>): SelftestMachine | string {
  const pmd = DEFAULT_MACHINE.pmdSizeKb;
  const thpArg = values.get('thp-sizes')?.at(-1);
  const thp =
    thpArg === undefined
      ? DEFAULT_MACHINE.thpSizesKb
      : sizes('thp-sizes', thpArg, (kb) => kb >= 8 && kb <= pmd && Number.isInteger(Math.log2(kb)));
  if (typeof thp === 'string') return thp;
  const hugeArg = values.get('hugetlb-sizes')?.at(-1);
  const huge =
    hugeArg === undefined
      ? DEFAULT_MACHINE.hugetlbSizesKb
      : sizes('hugetlb-sizes', hugeArg, (kb) => kb === 2048 || kb === 1048576);
  if (typeof huge === 'string') return huge;
  const pages = hugetlbPages(values.get('hugetlb-pages') ?? [], huge);
  if (typeof pages === 'string') return pages;
  const of = values.get('selftests')?.at(-1);
  const selftestsOf = of === undefined ? null : parseRelease(of);
  if (selftestsOf === null && of !== undefined) return `--selftests: '${of}' is not a release (vX.Y)`;
  return {
    thpSizesKb: thp,
    // THP support needs the PMD size; without it cow.c detects no THP size at all.
    pmdSizeKb: thp.includes(pmd) ? pmd : 0,
    hugetlbSizesKb: huge,
    hugetlbPages: pages,
    swap: !flags.has('no-swap'),
    hugeZeropage: !flags.has('no-huge-zeropage'),
    gupTest: !flags.has('no-gup-test'),
    gupTestStandIn: flags.has('gup-test-stand-in'),
    selftestsOf,
  };
}

function textReport(test: Selftest, runs: readonly { kernel: string; k: Ksft }[]): string {
  const first = runs[0]?.k.tests ?? [];
  const header = ['test', ...runs.map((r) => r.kernel)];
  const rows = first.map((t, i) => [`${t.num} ${t.run}`, ...runs.map((r) => r.k.tests[i]?.outcome ?? '-')]);
  const totals = ['totals (pass/fail/xfail/skip)'].concat(
    runs.map((r) => ['pass', 'fail', 'xfail', 'skip'].map((o) => ksftCount(r.k, o as 'pass')).join('/')),
  );
  const all = [header, ...rows, totals];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  return `${test.program}\n${all.map(line).join('\n')}\n`;
}

/**
 * `pinlab cow` / `pinlab gup-longterm`: the kernel selftest reproduced on the model of each release.
 * KTAP (the default) prints one document per release; exit 1 when a release fails a test, as the
 * real program would.
 */
export function selftestCommand(test: Selftest, args: readonly string[], io: Io): number {
  const p = parseArgs(args, SPEC);
  const usage = (msg: string): number => {
    io.err(`pinlab ${test.name}: ${msg}\n`);
    return 2;
  };
  if (isArgsError(p)) return usage(p.error);
  if (p.positionals.length > 0) return usage(`unexpected argument '${p.positionals[0]}'`);
  const format = (p.values.get('format')?.at(-1) ?? 'ktap') as Format;
  if (!FORMATS.includes(format)) return usage(`--format is one of ${FORMATS.join(', ')}, not '${format}'`);
  const machine = machineOf(p.values, p.flags);
  if (typeof machine === 'string') return usage(machine);
  const kernels = p.values.get('kernel') ?? [RELEASES[RELEASES.length - 1] ?? 'v6.18'];
  const profiles = resolveKernels(kernels, p.values.get('set') ?? []);
  if (typeof profiles === 'string') return usage(profiles);
  const runs = profiles.map((profile) => ({ kernel: profile.name, k: test.run(profile, machine) }));
  if (format === 'ktap') io.out(runs.map((r) => `${r.k.lines.join('\n')}\n`).join(''));
  else if (format === 'text') io.out(textReport(test, runs));
  else {
    const tests = runs.map((r) => ({ kernel: r.kernel, tests: r.k.tests }));
    io.out(jsonDocument('selftest', { selftest: test.name, machine, runs: tests }));
  }
  // The program's own exit status (cow.c's ends differ by release), else 1 on a failed test.
  return runs.some((r) => (r.k.exit ?? (ksftCount(r.k, 'fail') > 0 ? 1 : 0)) !== 0) ? 1 : 0;
}
