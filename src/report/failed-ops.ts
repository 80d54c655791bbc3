import { errnoName } from '../model/include/errno.js';
import type { Row } from '../suite/run.js';
import { releasesOf, runsOf } from './runs.js';

/** `-22 (EINVAL)`. */
export function errnoText(ret: number): string {
  const name = errnoName[-ret];
  return name === undefined ? String(ret) : `${ret} (${name})`;
}

/**
 * A warning for each thread operation that returned an error in the model, per scenario, with the
 * releases where it did (as `expect` lines write them): a condition built on its result may mislead.
 */
export function failedOpsText(rows: readonly Row[], kernels: readonly string[]): string {
  const out: string[] = [];
  for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
    const mine = rows.filter((r) => r.scenario === scenario);
    const byKernel = new Map(mine.map((r) => [r.kernel, r.failed] as const));
    const ops = new Map<string, string>();
    for (const f of mine.flatMap((r) => r.failed))
      ops.set(`${f.thread}\t${f.line}`, `thread ${f.thread}'s operation ${f.line} (${f.op})`);
    for (const [key, what] of ops) {
      const cells = kernels.map((k) => {
        const f = byKernel.get(k)?.find((x) => `${x.thread}\t${x.line}` === key);
        if (f === undefined) return '';
        return `${f.always ? 'always' : 'sometimes'} returns ${f.errnos.map(errnoText).join(', ')}`;
      });
      for (const run of runsOf(cells).filter((r) => r.value !== ''))
        out.push(`warning: ${scenario} on ${releasesOf(run, kernels)}: ${what} ${run.value}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * The same warnings for one search's rows (a scenario on one release), one line each without the
 * release: `thread A's operation 2 (gup) always returns -22 (EINVAL)`. JUnit's system-err and KTAP's
 * `# warning:` lines carry them.
 */
export function failedOpLines(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of rows.flatMap((r) => r.failed)) {
    const key = `${f.thread}\t${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const how = `${f.always ? 'always' : 'sometimes'} returns ${f.errnos.map(errnoText).join(', ')}`;
    out.push(`thread ${f.thread}'s operation ${f.line} (${f.op}) ${how}`);
  }
  return out;
}
