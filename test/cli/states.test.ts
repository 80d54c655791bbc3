import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalStatesText, STATES_SHOWN } from '../../src/report/final-states.js';
import type { Row } from '../../src/suite/run.js';
import { cli, RACE } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pinlab-states-'));
const race = join(dir, 'race.pin');
writeFileSync(race, RACE);

describe('pinlab check --states', () => {
  it('lists each distinct final state with how many final states reach it, as herd7 does', () => {
    const r = cli('check', race, '--kernel', 'v6.1,v6.12', '--states', '--quiet', '--no-timings');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'final states of race on all:\n  States 2\n       1  P:buf="A";\n       1  P:buf="B";\n',
    );
  });

  it('leaves the list out without the flag', () => {
    expect(cli('check', race, '--kernel', 'v6.12', '--quiet').out).not.toContain('final states of');
  });

  it('writes the list in JSON, values by name, sorted', () => {
    const r = cli('check', race, '--kernel', 'v6.12', '--states', '--quiet', '--format', 'json');
    const j = JSON.parse(r.out) as { finalStates: unknown };
    expect(j.finalStates).toEqual([
      {
        scenario: 'race',
        kernel: 'v6.12',
        reads: ['P:buf'],
        states: [
          { values: { 'P:buf': 'A' }, count: 1 },
          { values: { 'P:buf': 'B' }, count: 1 },
        ],
        unlisted: 0,
      },
    ]);
    expect(
      JSON.parse(cli('check', race, '--kernel', 'v6.12', '--quiet', '--format', 'json').out),
    ).not.toHaveProperty('finalStates');
  });

  it('caps the text list and says how many more there are', () => {
    const n = STATES_SHOWN + 2;
    const list = Array.from({ length: n }, (_, i) => ({
      values: [`v${String(i).padStart(2, '0')}`],
      count: 2,
    }));
    const row = { scenario: 's', kernel: 'v6.12', finals: { reads: ['P:buf'], list, unlisted: 3 } };
    const lines = finalStatesText([row as unknown as Row], ['v6.12']).split('\n');
    expect(lines[0]).toBe('final states of s on all:');
    expect(lines[1]).toBe(`  States ${2 * n + 3}`);
    expect(lines[2]).toBe('       2  P:buf="v00";');
    expect(lines[1 + STATES_SHOWN]).toBe(`       2  P:buf="v${STATES_SHOWN - 1}";`);
    expect(lines[2 + STATES_SHOWN]).toBe('  ... 2 more distinct final states not shown');
    expect(lines[3 + STATES_SHOWN]).toBe(`  ... 3 final states past the search's list of ${n}`);
  });
});
