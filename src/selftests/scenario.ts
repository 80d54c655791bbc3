import type { KernelProfile } from '../model/profile/profiles.js';
import { parseScenarios, type ParsedScenario } from '../scenario/index.js';
import { runSuite, type Row } from '../suite/run.js';

/**
 * What the model says of one selftest case: the verdict of its bad outcome, why it cannot run, or why
 * the search judged nothing (no interleaving completed the case: an error, never a pass).
 */
export type CaseVerdict =
  | { readonly kind: 'checked'; readonly row: Row }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'vacuous'; readonly reason: string };

/**
 * Parse one generated selftest scenario (the `.pin` text of one test case on one memory kind). The
 * text is pinlab's own output, so a parse error is a pinlab bug, reported with the text.
 */
export function parseCase(text: string, file: string): ParsedScenario {
  const parsed = parseScenarios(text, file);
  const one = parsed.ok ? parsed.scenarios[0] : undefined;
  if (!parsed.ok || one === undefined || parsed.scenarios.length !== 1)
    throw new Error(
      `pinlab generated an invalid scenario ${file}:\n${parsed.ok ? 'not one scenario' : parsed.errors.map((e) => e.message).join('\n')}\n${text}`,
    );
  return one;
}

/** Check a parsed selftest case on a profile, and return the row of its condition `bad`. */
export function checkCase(parsed: ParsedScenario, profile: KernelProfile): CaseVerdict {
  const rows = runSuite([parsed], [profile]);
  const row = rows.find((r) => r.kind === 'condition' && r.condition === 'bad');
  if (!row) throw new Error(`generated scenario ${parsed.scenario.id} has no condition 'bad'`);
  if (row.verdict === 'unavailable') return { kind: 'unavailable', reason: row.reason ?? 'unavailable' };
  if (row.reason !== null) return { kind: 'vacuous', reason: row.reason };
  return { kind: 'checked', row };
}
