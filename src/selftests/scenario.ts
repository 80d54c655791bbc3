import type { KernelProfile } from '../model/profile/profiles.js';
import { parseScenarios } from '../scenario/index.js';
import { runSuite, type Row } from '../suite/run.js';

/** What the model says of one selftest case: the verdict of its bad outcome, or why it cannot run. */
export type CaseVerdict =
  { readonly kind: 'checked'; readonly row: Row } | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Check one generated selftest scenario (the `.pin` text of one test case on one memory kind) on a
 * profile, and return the row of its condition `bad`. The text is pinlab's own output, so a parse
 * error is a pinlab bug, reported with the text.
 */
export function checkCase(text: string, file: string, profile: KernelProfile): CaseVerdict {
  const parsed = parseScenarios(text, file);
  if (!parsed.ok)
    throw new Error(
      `pinlab generated an invalid scenario ${file}:\n${parsed.errors.map((e) => e.message).join('\n')}\n${text}`,
    );
  const rows = runSuite(parsed.scenarios, [profile]);
  const row = rows.find((r) => r.kind === 'condition' && r.condition === 'bad');
  if (!row) throw new Error(`generated scenario ${file} has no condition 'bad'`);
  if (row.verdict === 'unavailable') return { kind: 'unavailable', reason: row.reason ?? 'unavailable' };
  return { kind: 'checked', row };
}
