import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/check/index.js';
import { profileNames, kernelProfile, isProfileError } from '../../src/model/profile/profiles.js';
import {
  formatError,
  parseScenarios,
  printScenario,
  type ParsedScenario,
  type ParseResult,
} from '../../src/scenario/index.js';
import { runSuite } from '../../src/suite/run.js';
import { scenarioArb } from '../scenario/arbitrary.js';
import { fuzzRuns, mutantArb } from './mutants.js';

/**
 * The fuzz properties over mutants of the library: a few hundred runs here; `npm run fuzz` runs them
 * long (test/fuzz/run.mjs sets the count and the seed).
 */

/** What the runs saw, printed after a long run (`npm run fuzz`). */
const seen = {
  mutants: 0,
  generated: 0,
  refused: 0,
  accepted: 0,
  checked: 0,
  rows: 0,
  inconclusive: 0,
  replayed: 0,
};
afterAll(() => {
  if (process.env.PINLAB_FUZZ_COUNT !== undefined) console.log(`fuzz figures: ${JSON.stringify(seen)}`);
});

/**
 * A bound for a busy machine, not a timing test: a few hundred runs take seconds; a long run
 * (`npm run fuzz`) gets 20 ms a mutant, some four times what a parse and print take.
 */
const TIMEOUT = Math.max(600_000, 20 * Number(process.env.PINLAB_FUZZ_COUNT ?? 0));

/** The longest message an error may have: it quotes excerpts, never a whole token. */
const MAX_MESSAGE = 1000;

function parsed(text: string): ParseResult {
  const r = parseScenarios(text, 'mutant.pin');
  seen.mutants += 1;
  if (r.ok) seen.accepted += r.scenarios.length;
  else seen.refused += 1;
  if (r.ok) return r;
  for (const e of r.errors) {
    expect(e.file).toBe('mutant.pin');
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.message.length).toBeGreaterThan(0);
    expect(formatError(e).length).toBeLessThan(MAX_MESSAGE);
  }
  return r;
}

const profiles = profileNames().flatMap((n) => {
  const p = kernelProfile(n);
  return isProfileError(p) ? [] : [p];
});

describe('fuzz: the parser and the printer', () => {
  it(
    'parse never throws, every error is located and short, and print then parse is the identity',
    () => {
      fc.assert(
        fc.property(mutantArb, (text) => {
          const r = parsed(text);
          if (!r.ok) return;
          for (const { scenario } of r.scenarios) {
            const printed = printScenario(scenario);
            const again = parseScenarios(printed, 'mutant.pin');
            if (!again.ok)
              expect.fail(`${again.errors.map(formatError).join('\n')}\n--- printed:\n${printed}`);
            expect(again.scenarios.map((s) => s.scenario)).toEqual([scenario]);
          }
        }),
        fuzzRuns('parser', 300),
      );
    },
    TIMEOUT,
  );
});

/** Check a scenario on two releases under a bound: verdicts only, and every printed token replays. */
function checked(s: ParsedScenario, a: number, b: number): void {
  const kernels = [profiles[a % profiles.length]!, profiles[b % profiles.length]!];
  const rows = runSuite([s], kernels, { maxStates: 500 });
  seen.checked += 1;
  seen.rows += rows.length;
  seen.inconclusive += rows.filter((x) => x.verdict === 'inconclusive').length;
  for (const row of rows) {
    expect(row.verdict).toMatch(/^(never|sometimes|always|inconclusive|unavailable)$/);
    if (row.replay === null) continue;
    const token = row.replay.slice(row.replay.lastIndexOf('@') + 1);
    expect(row.replay.slice(0, row.replay.lastIndexOf('@'))).toBe(s.scenario.id);
    expect(replay(s.scenario.program, token)).toMatchObject({ ok: true });
    seen.replayed += 1;
  }
}

describe('fuzz: the checker', () => {
  it(
    'ends in verdicts under a bound on any accepted mutant, and every printed token replays',
    () => {
      fc.assert(
        fc.property(mutantArb, fc.nat(), fc.nat(), (text, a, b) => {
          const r = parsed(text);
          if (r.ok) for (const s of r.scenarios.slice(0, 2)) checked(s, a, b);
        }),
        fuzzRuns('checker', 40),
      );
    },
    TIMEOUT,
  );

  it(
    'ends in verdicts under a bound on any generated scenario (every operation, in any order)',
    () => {
      fc.assert(
        fc.property(scenarioArb, fc.nat(), fc.nat(), (scenario, a, b) => {
          const r = parseScenarios(printScenario(scenario), 'generated.pin');
          seen.generated += 1;
          if (!r.ok) expect.fail(r.errors.map(formatError).join('\n'));
          for (const s of r.scenarios) checked(s, a, b);
        }),
        fuzzRuns('checker', 20),
      );
    },
    TIMEOUT,
  );
});
