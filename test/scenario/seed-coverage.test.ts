import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { displayName, libraryFiles, loadScenarios } from '../../src/cli/library.js';

/** docs/seed-coverage.md: every seed claim has a row, and the rows name scenarios that exist. */
const md = readFileSync(new URL('../../docs/seed-coverage.md', import.meta.url), 'utf8');
const rows = md.split('\n').filter((l) => /^\| 00[0-4]:/.test(l));
const loaded = loadScenarios(libraryFiles(), displayName);
if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
const ids = new Set(loaded.scenarios.map((s) => s.scenario.id.replace(/\[.*\]$/, '')));

describe('docs/seed-coverage.md', () => {
  it('has a row per claim of each of the five seeds, each with a status', () => {
    for (const seed of ['000', '001', '002', '003', '004'])
      expect(rows.filter((r) => r.startsWith(`| ${seed}:`)).length, seed).toBeGreaterThan(5);
    const status = /(shown|what-if|partial|not behaviour)[^|]*\|\s*$/;
    for (const r of rows) expect(r, r.slice(0, 12)).toMatch(status);
  });

  it('names every library scenario that cites a seed', () => {
    for (const s of loaded.scenarios)
      if (/seed 00[0-4]/.test(s.scenario.source))
        expect(md, s.scenario.id).toContain(s.scenario.id.replace(/\[.*\]$/, ''));
  });

  it('names only scenarios that exist', () => {
    const named = md.match(/\b[a-z0-9]+(?:-[a-z0-9]+)+(?=[\s,;:)[])/g) ?? [];
    const scenarioLike = named.filter((n) =>
      /-(fork|write|lifetime|held|writeback|extract|redirty|dirty|release|csum|unmap|hugetlb|notify|early|complete|cow|punch-dio)$/.test(
        n,
      ),
    );
    expect(scenarioLike.length).toBeGreaterThan(10);
    for (const n of scenarioLike) expect(ids, n).toContain(n);
  });
});
