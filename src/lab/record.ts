import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KsftOutcome } from '../selftests/kselftest.js';
import type { SelftestMachine } from '../selftests/selftest.js';
import type { KernelResult } from './kernel-run.js';

/**
 * What docs/conformance keeps of a lab run: per kernel a `lab-<kernel>.json` (the packages and their
 * versions, the date, per scenario, disk and condition the real counts and the model's verdict, per
 * selftest case the real result), and `lab.md`, the same as tables. The real side only is evidence:
 * a test re-derives the model's side from today's model.
 */
export interface RecordedRow {
  readonly scenario: string;
  readonly disk: string;
  readonly condition: string;
  readonly model: string;
  /** `seen/runs`, `skipped` or `-`. */
  readonly kernel: string;
  readonly outcome: string;
}

export interface RecordedSelftest {
  readonly program: string;
  readonly tree: string;
  readonly machine: SelftestMachine;
  readonly counts: Readonly<Record<string, number>>;
  /** Each real result: number, `[RUN]` line, outcome. */
  readonly real: readonly {
    readonly num: number;
    readonly run: string;
    readonly outcome: KsftOutcome;
  }[];
}

export interface KernelRecord {
  readonly pinlab: 1;
  readonly date: string;
  readonly kernel: string;
  readonly profile: string;
  readonly uname: string | null;
  readonly packages: readonly { readonly name: string; readonly version: string }[];
  readonly accel: string;
  readonly seconds: number;
  readonly runs: number;
  readonly kmod: string;
  readonly notes: readonly string[];
  readonly rows: readonly RecordedRow[];
  readonly selftests: readonly RecordedSelftest[];
}

export function kernelRecord(r: KernelResult, date: Date): KernelRecord {
  return {
    pinlab: 1,
    date: date.toISOString().slice(0, 10),
    kernel: r.kernel,
    profile: r.profile,
    uname: r.uname,
    packages: r.packages,
    accel: r.accel,
    seconds: r.seconds,
    runs: r.runs,
    kmod: r.kmod,
    notes: r.notes,
    rows: r.rows.map((x) => ({
      scenario: x.scenario,
      disk: x.disk,
      condition: x.condition,
      model: x.model,
      kernel: x.kernel,
      outcome: x.outcome,
    })),
    selftests: r.selftests.map((t) => ({
      program: t.program,
      tree: t.tree,
      machine: t.machine,
      counts: t.counts,
      real: t.real.map((c) => ({ num: c.num, run: c.run, outcome: c.outcome })),
    })),
  };
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** The recorded kernels of a directory, in file name order. */
export function readRecords(dir: string): KernelRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^lab-([\d.]+|host)\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as KernelRecord);
}

/** The records as Markdown: per kernel its packages, then the scenario matrix and the selftests. */
export function recordsMarkdown(records: readonly KernelRecord[]): string {
  const out = [
    '# The lab: pinlab against real Debian kernels',
    '',
    'Written by `pinlab lab --record docs/conformance` (do not edit by hand; `lab-<kernel>.json` has',
    'the same data). Each exported scenario ran on each lab disk (`ext4`, and `ext4-throttled`: the',
    "same behind QEMU's I/O throttling, so a DMA lands after its submission); a cell is how many runs",
    "saw the condition, against the model's verdict for the kernel's profile.",
    '',
    '| kernel | profile | packages | date | runs | time | accel | kernel-side runner |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...records.map(
      (r) =>
        `| ${r.uname ?? r.kernel} | ${r.profile} | ${r.packages.length === 0 ? "none: the machine's own kernel" : r.packages.map((p) => `${p.name} ${p.version}`).join('<br>')} | ${r.date} | ${r.runs} | ${r.seconds} s | ${r.accel} | ${r.kmod} |`,
    ),
    '',
  ];
  for (const r of records) {
    const ran = r.rows.filter((x) => x.disk !== '-');
    out.push(`## ${r.kernel} (${r.profile})`, '');
    if (r.notes.length > 0) out.push(`Notes: ${r.notes.join('; ')}.`, '');
    out.push(
      '| scenario | disk | condition | model | real | outcome |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const x of ran)
      if (!x.condition.startsWith('['))
        out.push(`| ${x.scenario} | ${x.disk} | ${x.condition} | ${x.model} | ${x.kernel} | ${x.outcome} |`);
    const refused = r.rows.filter((x) => x.disk === '-').length;
    out.push('', `${refused} scenarios not run (export-c refuses them, or they did not compile).`, '');
    for (const t of r.selftests)
      out.push(
        `Selftest \`${t.program}\` (${t.tree}): ${Object.entries(t.counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
        '',
      );
  }
  return `${out.join('\n')}\n`;
}

/** Write each ran kernel's record into `dir`, and lab.md from every record there. */
export function recordResults(dir: string, results: readonly KernelResult[], date: Date): void {
  mkdirSync(dir, { recursive: true });
  for (const r of results)
    if (r.status === 'ran')
      writeAtomically(
        join(dir, `lab-${r.kernel}.json`),
        `${JSON.stringify(kernelRecord(r, date), null, 1)}\n`,
      );
  writeAtomically(join(dir, 'lab.md'), recordsMarkdown(readRecords(dir)));
}
