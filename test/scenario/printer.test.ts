import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatError, parseScenarios, printScenario } from '../../src/scenario/index.js';
import { quote } from '../../src/scenario/printer.js';
import { lex } from '../../src/scenario/lexer.js';
import { scenarioArb } from './arbitrary.js';
import { parseOk } from './helpers.js';

const DIRS = [new URL('../../scenarios/', import.meta.url), new URL('fixtures/', import.meta.url)];

describe('printScenario', () => {
  it('prints any scenario as text that parses back to it', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const text = printScenario(s);
        const r = parseScenarios(text, '<generated>');
        if (!r.ok) expect.fail(`${r.errors.map(formatError).join('\n')}\n--- text:\n${text}`);
        expect(r.scenarios.map((p) => p.scenario)).toEqual([s]);
      }),
      { numRuns: 300 },
    );
  });

  it('quotes any string so that the lexer reads it back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(lex(`x ${quote(s)}`, 'q').lines[0]?.[1]?.text).toBe(s);
      }),
    );
  });

  const files = DIRS.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.pin'))
      .map((f) => new URL(f, d)),
  );
  it.each(files.map((u) => [u.pathname.split('/').slice(-2).join('/'), u] as const))(
    'is a fixpoint on %s: parse, print, parse gives the same scenarios',
    (name, url) => {
      const parsed = parseOk(readFileSync(url, 'utf8'), name);
      for (const { scenario } of parsed) {
        const text = printScenario(scenario);
        const again = parseOk(text, name);
        expect(again.map((p) => p.scenario)).toEqual([scenario]);
        expect(printScenario(again[0]!.scenario)).toBe(text);
      }
    },
  );
});
