import { POLICIES, POLICY_NAMES } from '../model/profile/policies/index.js';
import { KERNELS, VARIANTS, kernelProfile, isProfileError } from '../model/profile/profiles.js';
import { STABLE_SERIES } from '../model/profile/stable.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';

/** `pinlab list`: the built-in scenarios (with their source), the profiles, and each policy with its value per release and the commits that changed it. */
export function listCommand(args: readonly string[], io: Io): number {
  if (args.length > 0) {
    io.err(`pinlab list: unexpected argument '${args[0]}'\n`);
    return 2;
  }
  const lib = loadScenarios(libraryFiles(), displayName);
  io.out('built-in scenarios:\n');
  if (lib.ok)
    for (const s of lib.scenarios) io.out(`  ${s.scenario.id}\n${wrapWords(s.scenario.source, 6, WIDTH)}`);
  else io.err(`${lib.messages.join('\n')}\n`);
  io.out(`\n${hanging(`kernel profiles: ${KERNELS.join(' ')}`, 0, 17)}`);
  for (const s of STABLE_SERIES) {
    io.out(`stable series ${s.name} (${s.base} read at ${s.at}):\n`);
    for (const b of s.backports)
      io.out(hanging(`${b.policy}=${b.value}: ${b.commit}; ${b.evidence} [${b.confidence}]`, 2, 6));
    for (const u of s.unmodelled) io.out(hanging(`not modelled: ${u}`, 2, 6));
  }
  for (const v of VARIANTS) io.out(hanging(`variant ${v.name} (on ${v.base}): ${v.doc}`, 0, 4));
  io.out('\npolicies:\n');
  for (const name of POLICY_NAMES) {
    const def = POLICIES[name];
    io.out(`\n${hanging(`${name}  (${def.kernel})`, 0, 4)}${wrapWords(def.doc, 2, WIDTH)}`);
    for (const c of def.history)
      io.out(hanging(`${c.since.padEnd(6)} ${c.value.padEnd(22)} ${c.commit} [${c.confidence}]`, 2, 32));
    const row = KERNELS.map((r) => {
      const p = kernelProfile(r);
      return isProfileError(p) ? '?' : String(p.policies[name]);
    });
    io.out(hanging(`per release: ${KERNELS.map((r, i) => `${r}=${row[i]}`).join(' ')}`, 2, 15));
  }
  return 0;
}

/** `pinlab list` fits this many columns. */
const WIDTH = 100;

/**
 * `text` from column `indent`, its further lines from column `more` (a hanging indent), broken at
 * spaces to fit WIDTH. list's own helper: the report's wrapping lives elsewhere.
 */
function hanging(text: string, indent: number, more: number): string {
  const lines: string[] = [];
  let line = ' '.repeat(indent);
  let fresh = true;
  // The spaces between words are kept as written (a history line pads its columns), except at a break.
  for (const [, space, word] of text.matchAll(/(\s*)(\S+)/g)) {
    if (!fresh && line.length + (space ?? '').length + (word ?? '').length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(more);
      fresh = true;
    }
    line += `${fresh ? '' : (space ?? ' ')}${word ?? ''}`;
    fresh = false;
  }
  lines.push(line);
  return `${lines.join('\n')}\n`;
}

/** `text` indented by `indent` columns and broken at spaces to fit `width` (a longer word keeps its own line): a source is shown whole. */
export function wrapWords(text: string, indent: number, width: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      out += `${pad}${line}\n`;
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? out : `${out}${pad}${line}\n`;
}
