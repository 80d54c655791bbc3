import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** docs/kernel-audit/ledger/: one filled row per `@kernel` tag of the code, in all four trees. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'docs/kernel-audit/ledger');
const TREES = ['5.10.262', '6.1.176', '6.12.117', '7.2.13'];

const sources = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Each `FILE[:FUNCTION]` named after an `@kernel` on a line of src/. */
function codeTags(): Set<string> {
  const tags = new Set<string>();
  for (const f of sources(join(root, 'src')))
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const at = line.indexOf('@kernel ');
      if (at < 0) continue;
      for (const m of line.slice(at + 8).matchAll(/\b((?:[a-z0-9_-]+\/)+[a-z0-9_.-]+\.[ch])(?::(\w+))?/g))
        tags.add(m[2] ? `${m[1]}:${m[2]}` : (m[1] ?? ''));
    }
  return tags;
}

interface Row {
  file: string;
  tag: string;
  cells: string[];
}

const ledgers = readdirSync(dir).filter((n) => n.endsWith('.md') && n !== 'README.md');
const rows: Row[] = ledgers.flatMap((file) =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
      return { file, tag: (cells[0] ?? '').replace(/^`|`$/g, ''), cells: cells.slice(2) };
    }),
);

describe('the @kernel ledger', () => {
  const tags = codeTags();

  it('has exactly one row for every tag of the code, and none for a tag the code lost', () => {
    expect(tags.size).toBeGreaterThan(150);
    const seen = new Map<string, string>();
    for (const r of rows) {
      expect(seen.get(r.tag), `${r.tag} twice`).toBeUndefined();
      seen.set(r.tag, r.file);
      expect(tags, `${r.file}: ${r.tag} is no tag of the code`).toContain(r.tag);
    }
    for (const t of tags) expect(seen.has(t), `${t} has no row`).toBe(true);
  });

  it.each(ledgers)('%s: each tree read, each verdict given', (file) => {
    const mine = rows.filter((r) => r.file === file);
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) {
      expect(r.cells, r.tag).toHaveLength(TREES.length + 1);
      TREES.forEach((tree, i) =>
        expect(r.cells[i], `${r.tag} in ${tree}`).toMatch(/^(same\b|absent\b)|:\d+/),
      );
      expect(r.cells[TREES.length], r.tag).toMatch(/^(agrees|fixed: |left: )/);
    }
  });
});
