import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../../src/model/profile/profiles.js';
import { parseScenarios, type ParsedScenario } from '../../../src/scenario/index.js';
import { runSuite } from '../../../src/suite/run.js';
import { profile } from '../harness.js';

function parse(text: string): ParsedScenario {
  const parsed = parseScenarios(text, 't.pin');
  if (!parsed.ok || !parsed.scenarios[0]) throw new Error('parse');
  return parsed.scenarios[0];
}

/** T1's fsync starts writeback of "B"; T0 stores "C" while it is in flight, then fsyncs. */
const REDIRTIED = parse(`scenario fsync-redirtied-under-writeback
intent: an fsync that meets a dirty page still under writeback
source: pinlab's tests
agent device
file f xfs = "A"
process P
  map m file f shared
setup
  T0: write m "B"
thread T0 in P
  write m "C"
  fsync f
thread T1 in P
  fsync f
exists (disk:f[0] != "C") as stale
`);

/** fsync of a shmem file: its mapping cannot write back. */
const SHMEM = parse(`scenario fsync-shmem
intent: fsync of a shmem file writes nothing
source: pinlab's tests
agent device
file s shmem = "A"
process P
  map m file s shared
setup
  T0: write m "B"
thread T0 in P
  fsync s
exists (disk:s[0] == "B") as written
`);

describe('fsync is an integrity writeback (write_cache_pages(), WB_SYNC_ALL)', () => {
  it.each(KERNELS)('%s: a page dirtied again under writeback is waited for and written again', (k) => {
    // Before: the second fsync skipped the page under writeback and returned with "C" never written
    // (the 5.10 tree's mm/page-writeback.c:2258 waits; 6.1 :2372, 6.12 :2455, 7.2 :2400).
    const rows = runSuite([REDIRTIED], [profile(k)]);
    expect(rows.map((r) => [r.condition, r.verdict])).toEqual([['stale', 'never']]);
  });
  it.each(KERNELS)('%s: fsync of a shmem file writes nothing (mapping_can_writeback() is false)', (k) => {
    // Before: the model started writeback of the shmem page and the device stored "B".
    const rows = runSuite([SHMEM], [profile(k)]);
    expect(rows.map((r) => [r.condition, r.verdict])).toEqual([['written', 'never']]);
  });
});
