/** The width of pinlab's text output: every line fits it, a word longer than a line aside. */
export const TEXT_WIDTH = 100;

/**
 * `chunks` (pieces never broken: words, or `> fn` calls) joined by spaces into lines of at most
 * `width` columns: the first line starts with `first`, the others with `rest` (their indent). A
 * chunk too long for any line stands alone on its line. Unwrapped, the line is the chunks as given,
 * joined by single spaces (an empty chunk keeps a double space).
 */
export function fit(chunks: readonly string[], first: string, rest: string, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const c of chunks) {
    if (!empty && line.length + 1 + c.length > width) {
      lines.push(line);
      line = rest + c;
    } else line = empty ? line + c : `${line} ${c}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A line's words as chunks to fit, each ` > ` call joined to the function after it so a line breaks
 * before a `>`, never after it.
 */
export function chunks(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(' ')) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] === '>' || out[last] === '=')) out[last] = `${out[last]} ${w}`;
    else out.push(w);
  }
  return out;
}
