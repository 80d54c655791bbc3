import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
