import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES } from '../../src/model/invariants/index.js';
import { parseOk } from './helpers.js';

describe('scenarios/README.md', () => {
  it('has an example that parses, one scenario per page kind', () => {
    const md = readFileSync(new URL('../../scenarios/README.md', import.meta.url), 'utf8');
    const example = /```\n(scenario [\s\S]*?)```/.exec(md)?.[1] ?? '';
    expect(parseOk(example, 'vmsplice-child-unmap.pin').map((p) => p.scenario.id)).toEqual([
      'vmsplice-child-unmap[page=base]',
      'vmsplice-child-unmap[page=hugetlb-2M]',
    ]);
  });
});

describe('the language reference', () => {
  const md = readFileSync(new URL('../../scenarios/README.md', import.meta.url), 'utf8');
  it('lists every invariant a scenario may name, with what it means and its severity', () => {
    for (const name of INVARIANT_NAMES)
      expect(md).toMatch(new RegExp(`\\n\\| \`${name}\` +\\| (flag|error) +\\| \\w`));
  });
  it('says that intent: and source: are required', () => {
    expect(md).toMatch(/`intent:` and `source:` are required/);
  });
});
