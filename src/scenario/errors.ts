/**
 * Scenario errors are data (as zod's issues): where, what, and what would have been accepted. Nothing
 * in src/scenario throws for a user's mistake; `formatError` turns one into `file:line:col: message`.
 */

/** A position in a scenario file: 1-based line and column (in UTF-16 code units, tabs count 1). */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

export interface ScenarioError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** What the parser would have accepted here, when that is a short list. */
  readonly expected?: readonly string[];
}

export function scenarioError(
  file: string,
  at: Pos,
  message: string,
  expected?: readonly string[],
): ScenarioError {
  return expected === undefined
    ? { file, line: at.line, col: at.col, message }
    : { file, line: at.line, col: at.col, message, expected };
}

/** `file:line:col: message`, as compilers and herd print user errors. */
export function formatError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** Errors in file order, each reported once (an error outside any axis repeats for every axis value). */
export function sortErrors(errors: readonly ScenarioError[]): ScenarioError[] {
  const seen = new Set<string>();
  const out: ScenarioError[] = [];
  for (const e of errors) {
    const key = formatError(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      row[j] = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  return at(a.length, b.length);
}

/** The closest of `known` to a misspelt `word`, when it is close enough to be worth suggesting. */
export function closest(word: string, known: readonly string[]): string | null {
  const limit = word.length <= 2 ? 0 : word.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestDist = limit + 1;
  for (const k of known) {
    // The distance is at least the difference in length: a long word costs nothing to rule out.
    if (Math.abs(word.length - k.length) > limit) continue;
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  return best;
}

/** The longest text of the user's a message quotes whole. */
const EXCERPT = 40;

/** `text`, or its start and its length when it is too long to quote whole in a message. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT ? text : `${text.slice(0, EXCERPT)}... (${text.length} characters)`;
}

/** "unknown X 'y'; did you mean 'z'? (expected one of: a, b, c)" */
export function unknownMessage(what: string, word: string, known: readonly string[]): string {
  const guess = closest(word, known);
  const hint = guess === null ? '' : `; did you mean '${excerpt(guess)}'?`;
  const list = known.length === 0 ? `no ${what} is declared` : `expected ${oneOf(known.map(excerpt))}`;
  return `unknown ${what} '${excerpt(word)}'${hint} (${list})`;
}

/** "a", "a or b", "one of: a, b, c" */
export function oneOf(known: readonly string[]): string {
  if (known.length === 1) return `'${known[0]}'`;
  if (known.length === 2) return `'${known[0]}' or '${known[1]}'`;
  return `one of: ${known.join(', ')}`;
}
