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
    for (const s of lib.scenarios) io.out(`  ${s.scenario.id}\n${wrapWords(s.scenario.source, 6, 100)}`);
  else io.err(`${lib.messages.join('\n')}\n`);
  io.out(`\nkernel profiles: ${KERNELS.join(' ')}\n`);
  for (const s of STABLE_SERIES) {
    io.out(`stable series ${s.name} (${s.base} read at ${s.at}):\n`);
    for (const b of s.backports)
      io.out(`  ${b.policy}=${b.value}: ${b.commit}; ${b.evidence} [${b.confidence}]\n`);
    for (const u of s.unmodelled) io.out(`  not modelled: ${u}\n`);
  }
  for (const v of VARIANTS) io.out(`variant ${v.name} (on ${v.base}): ${v.doc}\n`);
  io.out('\npolicies:\n');
  for (const name of POLICY_NAMES) {
    const def = POLICIES[name];
    io.out(`\n${name}  (${def.kernel})\n  ${def.doc}\n`);
    for (const c of def.history)
      io.out(`  ${c.since.padEnd(6)} ${c.value.padEnd(22)} ${c.commit} [${c.confidence}]\n`);
    const row = KERNELS.map((r) => {
      const p = kernelProfile(r);
      return isProfileError(p) ? '?' : String(p.policies[name]);
    });
    io.out(`  per release: ${KERNELS.map((r, i) => `${r}=${row[i]}`).join(' ')}\n`);
  }
  return 0;
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
