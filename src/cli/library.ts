import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_SCENARIO_BYTES, readBounded } from './files.js';
import { formatError, parseScenarios, type ParsedScenario } from '../scenario/index.js';

/** The built-in scenario library shipped with the package. */
export const LIBRARY_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export function libraryFiles(): string[] {
  return readdirSync(LIBRARY_DIR)
    .filter((f) => f.endsWith('.pin'))
    .sort()
    .map((f) => join(LIBRARY_DIR, f));
}

export type Loaded =
  | { readonly ok: true; readonly scenarios: ParsedScenario[] }
  | { readonly ok: false; readonly messages: string[] };

/** Read and parse scenario files; every error as `file:line:col: message`. */
export function loadScenarios(files: readonly string[], display: (f: string) => string = (f) => f): Loaded {
  const scenarios: ParsedScenario[] = [];
  const messages: string[] = [];
  for (const file of files) {
    const read = readBounded(file, MAX_SCENARIO_BYTES);
    if ('error' in read) {
      messages.push(`${display(file)}: ${read.error}`);
      continue;
    }
    const r = parseScenarios(read.text, display(file));
    if (r.ok) scenarios.push(...r.scenarios);
    else messages.push(...r.errors.map(formatError));
  }
  return messages.length > 0 ? { ok: false, messages } : { ok: true, scenarios };
}

/** Built-in files are shown by their name in the library, user files as given. */
export function displayName(file: string): string {
  return file.startsWith(LIBRARY_DIR) ? `scenarios/${basename(file)}` : file;
}
