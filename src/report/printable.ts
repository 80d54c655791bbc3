/**
 * Control characters (C0 but tab and newline, DEL, C1): a terminal acts on them (ESC moves the cursor
 * or clears the screen, BEL rings, CR rewrites a line) and a KTAP reader takes a line break for a new
 * result line. A scenario's names and axis values may carry them.
 */
// eslint-disable-next-line no-control-regex -- these are the characters it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `s` with every control character written as its `\uXXXX` escape, as JSON writes it. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
