/**
 * The one way text a scenario supplies (names, data tokens, axis values, file names) enters a generated
 * C program: as data, escaped here. Printable ASCII stays as it is, except `"`, `\`, `?` (trigraphs),
 * `*` and `/` (so the text can neither close nor open a comment); every other byte of the UTF-8 text
 * is an octal escape. The result has no newline, so it cannot end a line either.
 */
function cEscape(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (byte >= 0x20 && byte < 0x7f && !'?*/'.includes(ch)) out += ch;
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** A C string literal holding the UTF-8 bytes of `s`. */
export function cString(s: string): string {
  return `"${cEscape(s)}"`;
}

/** A one-line C comment showing `s`, escaped as in a string literal. */
export function cComment(s: string): string {
  return `/* ${cEscape(s)} */`;
}
