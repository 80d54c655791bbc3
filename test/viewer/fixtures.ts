import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/helpers.js';
export { cli };

/** Trace files for the viewer's tests, made by the CLI as a user would. */

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'pinlab-viewer-'));

/** `pinlab explain FILE.pin --kernel K --out TRACE.json`: the trace file's path. */
export function explainTrace(pin: string, kernels: string): string {
  const file = join(tmp(), 'trace.json');
  const r = cli('explain', pin, '--kernel', kernels, '--out', file);
  if (r.code !== 0) throw new Error(r.err);
  return file;
}

/** `pinlab explain scenarios/dio-read-fork.pin --kernel K --out FILE`: the file's path. */
export function dioReadForkTrace(kernels = 'v6.4'): string {
  return explainTrace('scenarios/dio-read-fork.pin', kernels);
}

export const PAYLOAD = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

/** Fields whose values the format fixes (a hostile value there is rejected, not rendered). */
const FIXED = new Set(['kind', 'verdict', 'expected', 'end']);

/** Append the payload to every free-text string; flag names (the keys of `flags`) get it too. */
function poison(v: unknown, key: string): unknown {
  if (typeof v === 'string') return FIXED.has(key) ? v : `${v}${PAYLOAD}`;
  if (Array.isArray(v)) return v.map((x) => poison(x, key));
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => (key === 'flags' ? [`${k}${PAYLOAD}`, x] : [k, poison(x, k)])),
  );
}

/** The dio-read-fork trace with `<script>` markup appended to every free-text string and flag name. */
export function hostileTrace(): unknown {
  return poison(JSON.parse(readFileSync(dioReadForkTrace(), 'utf8')), '');
}

/** `pinlab view --explore ARGS --html -o OUT.html`: the page's path. */
export function explorerHtml(...args: string[]): string {
  const out = join(tmp(), 'explore.html');
  const r = cli('view', '--explore', ...args, '--html', '-o', out);
  if (r.code !== 0) throw new Error(r.err);
  return out;
}

/** dio-read-fork's block-device path: its actors are T0, T1, device, bio-dirty-work. */
export const DIO_READ_FORK = ['scenarios/dio-read-fork.pin', '--axis', 'path=blkdev'] as const;

/**
 * A scenario with a pin held across operations and an anonymous page paged out to swap: the
 * explorer's tests show the actors' grabs and the swap slots with it.
 */
export function swapGrabPin(): string {
  const file = join(tmp(), 'swap-grab.pin');
  writeFileSync(
    file,
    `scenario swap-grab
intent: T0 holds a pin on an anonymous page while T1 pages the buffer out and reads it back.
source: the viewer's tests

process P
  map buf anon private

setup
  T0: write buf "A"

thread T0 in P
  pin buf write as h
  unpin h

thread T1 in P
  madvise buf pageout
  read buf -> r

exists (T1:r != "A") as lost
`,
  );
  return file;
}
