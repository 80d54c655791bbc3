import { POLICIES, POLICY_NAMES, type PolicyName } from '../model/profile/policies/index.js';
import { KERNELS, VARIANTS, kernelProfile, isProfileError, profileNames } from '../model/profile/profiles.js';
import { STABLE_SERIES } from '../model/profile/stable.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';
import { jsonDocument } from '../report/document.js';
import type { ParsedScenario } from '../scenario/index.js';
import { isArgsError, parseArgs, textOrJson } from './args.js';

/**
 * `pinlab list [--format text|json]`: the built-in scenarios (with their source), the profiles, and
 * each policy with its value per release and the commits that changed it.
 */
export function listCommand(args: readonly string[], io: Io): number {
  const p = parseArgs(args, { format: 'value' });
  const fail = (m: string): number => {
    io.err(`pinlab list: ${m}\n`);
    return 2;
  };
  if (isArgsError(p)) return fail(p.error);
  const extra = p.positionals[0];
  if (extra !== undefined) return fail(`unexpected argument '${extra.slice(0, 40)}'`);
  const format = textOrJson(p);
  if (isArgsError(format)) return fail(format.error);
  const lib = loadScenarios(libraryFiles(), displayName);
  if (!lib.ok) io.err(`${lib.messages.join('\n')}\n`);
  const scenarios = lib.ok ? lib.scenarios : [];
  io.out(format === 'json' ? jsonDocument('list', { list: listData(scenarios) }) : listText(scenarios));
  return 0;
}

/** The policy's value on each kernel profile, in KERNELS' order ('?' where the profile is in error). */
function perRelease(name: PolicyName): string[] {
  return KERNELS.map((r) => {
    const p = kernelProfile(r);
    return isProfileError(p) ? '?' : String(p.policies[name]);
  });
}

function listText(scenarios: readonly ParsedScenario[]): string {
  const out = ['built-in scenarios:\n'];
  for (const s of scenarios) out.push(`  ${s.scenario.id}\n${wrapWords(s.scenario.source, 6, WIDTH)}`);
  out.push(`\n${hanging(`kernel profiles: ${KERNELS.join(' ')}`, 0, 17)}`);
  for (const s of STABLE_SERIES) {
    out.push(`stable series ${s.name} (${s.base} read at ${s.at}):\n`);
    for (const b of s.backports)
      out.push(hanging(`${b.policy}=${b.value}: ${b.commit}; ${b.evidence} [${b.confidence}]`, 2, 6));
    for (const u of s.unmodelled) out.push(hanging(`not modelled: ${u}`, 2, 6));
  }
  for (const v of VARIANTS) out.push(hanging(`variant ${v.name} (on ${v.base}): ${v.doc}`, 0, 4));
  out.push('\npolicies:\n');
  for (const name of POLICY_NAMES) {
    const def = POLICIES[name];
    out.push(`\n${hanging(`${name}  (${def.kernel})`, 0, 4)}${wrapWords(def.doc, 2, WIDTH)}`);
    for (const c of def.history)
      out.push(hanging(`${c.since.padEnd(6)} ${c.value.padEnd(22)} ${c.commit} [${c.confidence}]`, 2, 32));
    const row = perRelease(name);
    out.push(hanging(`per release: ${KERNELS.map((r, i) => `${r}=${row[i]}`).join(' ')}`, 2, 15));
  }
  return out.join('');
}

/** What a profile is: a mainline release, a stable series, or a design variant that was not merged. */
function profileKind(name: string): 'release' | 'stable' | 'variant' {
  if (STABLE_SERIES.some((s) => s.name === name)) return 'stable';
  return VARIANTS.some((v) => v.name === name) ? 'variant' : 'release';
}

/**
 * list's JSON data (under `list` in its document): what the text shows. `profiles`: every release,
 * stable series and variant (its kind, its mainline release, and the function names a series'
 * backports spell as a later release does); `stableSeries` and `variants` as defined; each policy
 * with its history and its value per release and series.
 */
export function listData(scenarios: readonly ParsedScenario[]) {
  const profiles = profileNames().flatMap((name) => {
    const p = kernelProfile(name);
    return isProfileError(p) ? [] : [{ name, release: p.release, kind: profileKind(name), names: p.names }];
  });
  const policies = POLICY_NAMES.map((name) => {
    const { doc, kernel, values, history } = POLICIES[name];
    const row = perRelease(name);
    return {
      name,
      kernel,
      doc,
      values,
      history,
      perRelease: Object.fromEntries(KERNELS.map((k, i) => [k, row[i]])),
    };
  });
  return {
    scenarios: scenarios.map((s) => ({ id: s.scenario.id, file: s.where.file, source: s.scenario.source })),
    profiles,
    stableSeries: STABLE_SERIES,
    variants: VARIANTS,
    policies,
  };
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
