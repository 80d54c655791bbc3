import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANT_TABLE } from '../../src/model/invariants/index.js';
import { cli } from './helpers.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'pinlab-author-'));

describe('pinlab new and pinlab lint', () => {
  it('writes a commented skeleton that lint accepts and check runs', () => {
    const file = join(dir(), 'first.pin');
    expect(cli('new', file)).toMatchObject({ code: 0, err: '' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('scenario first\n');
    for (const section of [
      '# The header',
      '# The machine',
      '# setup',
      '# The threads',
      '# The condition',
      '# The verdict',
    ])
      expect(text).toContain(section);
    expect(cli('lint', file)).toEqual({ code: 0, out: `${file}: 1 scenario, no errors\n`, err: '' });
    expect(cli('check', file, '--kernel', 'v6.6', '--quiet').code).toBe(0);
  });

  it('adds .pin to a bare name and never writes over an existing file', () => {
    const base = join(dir(), 'mine');
    writeFileSync(`${base}.pin`, 'keep me');
    expect(cli('new', base)).toEqual({
      code: 2,
      out: '',
      err: `pinlab new: will not write ${base}.pin: it exists\n`,
    });
    expect(readFileSync(`${base}.pin`, 'utf8')).toBe('keep me');
  });

  it('refuses a name that is no scenario name', () => {
    const r = cli('new', join(dir(), 'bad name'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pinlab new: 'bad name' is not a scenario name: .+\n$/);
  });

  it('reports a scenario error as file:line:col and exit 2, without running it', () => {
    const file = join(dir(), 'wrong.pin');
    cli('new', file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('always on all', 'always on v9'));
    const r = cli('lint', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${file}:\\d+:\\d+: unknown release 'v9'`));
    expect(cli('lint')).toMatchObject({
      code: 2,
      err: 'pinlab lint: give the scenario files to check (pinlab lint FILE...)\n',
    });
  });

  it('names an option it does not take, as a usage error (exit 2)', () => {
    expect(cli('lint', 'scenarios/dio-read-fork.pin', '--format', 'json')).toEqual({
      code: 2,
      out: '',
      err: "pinlab lint: unknown option '--format' (lint takes FILE...)\n",
    });
    expect(cli('lint', '-k', 'scenarios/dio-read-fork.pin').err).toBe(
      "pinlab lint: unknown option '-k' (lint takes FILE...)\n",
    );
    expect(cli('new', 'x', '--force')).toEqual({
      code: 2,
      out: '',
      err: "pinlab new: unknown option '--force' (new takes NAME)\n",
    });
  });
});

describe('the language reference', () => {
  it('lists every invariant of the model with what it means', () => {
    // The table's rows as cells, whatever padding the formatter gives them.
    const rows = readFileSync('README.md', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    for (const [name, inv] of Object.entries(INVARIANT_TABLE))
      expect(rows).toContainEqual([`\`${name}\``, inv.severity, inv.doc]);
  });
});
