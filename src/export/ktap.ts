/** One test line of an exported program's KTAP output: a condition and how many runs saw it hold. */
export interface KtapLine {
  readonly index: number;
  readonly name: string;
  readonly ok: boolean;
  /** Runs where the condition held, and runs counted; null on a skipped line. */
  readonly seen: number | null;
  readonly runs: number | null;
  /** The reason of a `# SKIP`, or null. */
  readonly skip: string | null;
}

export interface KtapResult {
  readonly plan: number | null;
  readonly lines: readonly KtapLine[];
  /** Diagnostic lines (`# ...`) other than the totals, without the `# `. */
  readonly comments: readonly string[];
  /** The reason of a `Bail out!`, or null. */
  readonly bail: string | null;
}

const TEST = /^(ok|not ok) (\d+) (.*?)(?: # (?:SKIP ?(.*)|seen in (\d+)\/(\d+) runs))?$/;

/** Parse the KTAP an exported program prints (`TAP version 13`, `1..K`, test lines, `# Totals:`). */
export function parseKtap(text: string): KtapResult {
  let plan: number | null = null;
  let bail: string | null = null;
  const lines: KtapLine[] = [];
  const comments: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const p = /^1\.\.(\d+)/.exec(line);
    const t = TEST.exec(line);
    if (p) plan = Number(p[1]);
    else if (line.startsWith('Bail out!')) bail = line.slice('Bail out!'.length).trim();
    else if (line.startsWith('# ') && !line.startsWith('# Totals:')) comments.push(line.slice(2));
    else if (t) {
      const skipped = t[4] !== undefined;
      lines.push({
        index: Number(t[2]),
        name: t[3] ?? '',
        ok: t[1] === 'ok',
        seen: t[5] === undefined ? null : Number(t[5]),
        runs: t[6] === undefined ? null : Number(t[6]),
        skip: skipped ? (t[4] ?? '') : null,
      });
    }
  }
  return { plan, lines, comments, bail };
}
