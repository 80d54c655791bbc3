import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
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
  | { readonly ok: true; readonly scenarios: ParsedScenario[]; readonly warnings: string[] }
  | { readonly ok: false; readonly messages: string[] };

/**
 * Read and parse scenario files; every error as `file:line:col: message`. A header name that is not
 * its file's (`x.pin` holds `scenario x`) is a warning. Two files whose scenarios
 * have the same id (`a/x.pin` and `b/x.pin`) are refused: rows, reports and replay tokens are keyed
 * by it, so their verdicts would merge into one row. A file given twice is read once.
 */
export function loadScenarios(files: readonly string[], display: (f: string) => string = (f) => f): Loaded {
  const scenarios: ParsedScenario[] = [];
  const messages: string[] = [];
  const warnings: string[] = [];
  const byId = new Map<string, ParsedScenario>();
  for (const file of [...new Map(files.map((f) => [resolve(f), f])).values()]) {
    const read = readBounded(file, MAX_SCENARIO_BYTES);
    if ('error' in read) {
      messages.push(`${display(file)}: ${read.error}`);
      continue;
    }
    const r = parseScenarios(read.text, display(file));
    if (!r.ok) {
      messages.push(...r.errors.map(formatError));
      continue;
    }
    for (const s of r.scenarios) {
      if (s.scenario.name !== s.scenario.id) warnings.push(misnamed(s));
      const other = byId.get(s.scenario.id);
      if (other !== undefined && other.where.file !== s.where.file)
        messages.push(
          `${at(s)}: scenario '${s.scenario.id}' is also in ${at(other)}: two scenarios may not share a ` +
            'name (their rows would merge; rename one file)',
        );
      else byId.set(s.scenario.id, s);
    }
    scenarios.push(...r.scenarios);
  }
  return messages.length > 0
    ? { ok: false, messages }
    : { ok: true, scenarios, warnings: [...new Set(warnings)] };
}

const at = (s: ParsedScenario): string => `${s.where.file}:${s.where.scenario.line}:${s.where.scenario.col}`;

/** A header name its file does not carry: rows, tokens and traces name a scenario by its file. */
function misnamed(s: ParsedScenario): string {
  const strip = (x: string): string => x.replace(/\[.*$/, '');
  const [name, id] = [strip(s.scenario.name), strip(s.scenario.id)];
  return (
    `${at(s)}: warning: the scenario is named '${name}' in a file named ${id}.pin: pinlab names it ` +
    `by its file (rename the file to ${name}.pin, or write 'scenario ${id}')`
  );
}

/** Built-in files are shown by their name in the library, user files as given. */
export function displayName(file: string): string {
  return file.startsWith(LIBRARY_DIR) ? `scenarios/${basename(file)}` : file;
}
