import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../../src/model/profile/profiles.js';
import { parseScenarios } from '../../../src/scenario/index.js';
import { runSuite } from '../../../src/suite/run.js';
import { profile } from '../harness.js';

/** A direct write over a cached, mapped page: `held` keeps a GUP reference on the page meanwhile. */
function scenario(held: boolean): string {
  return `scenario dio-write-cached
intent: a direct write to a file page another mapping has cached
source: pinlab's tests
agent device
file f xfs = "A"
process P
  map m file f shared
  map buf anon private
setup
  T0: read m -> x
  T0: write buf "B"
thread T0 in P
${held ? '  get m as h\n' : ''}  dio write iomap iovec f[0] from buf as w
${held ? '  put h\n' : ''}  read m -> y
exists (T0:w == "1" and T0:y == "B") as fresh
`;
}

describe('a direct write invalidates the page cache over what it wrote (invalidate_inode_pages2_range)', () => {
  for (const held of [false, true]) {
    const parsed = parseScenarios(scenario(held), 't.pin');
    if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
    const s = parsed.scenarios[0];
    it.each(KERNELS)(
      `%s: the mapping reads the new data, and no write is lost (GUP reference: ${held})`,
      (k) => {
        const rows = runSuite([s], [profile(k)]);
        // Before: the stale cached "A" stayed mapped, and lost-write fired on a write nothing lost.
        expect(rows.map((r) => [r.condition, r.verdict])).toEqual([['fresh', 'always']]);
      },
    );
  }
});
