import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { displayName, libraryFiles, loadScenarios } from '../../../src/cli/library.js';
import { runSuite } from '../../../src/suite/run.js';
import { anon, profile } from '../harness.js';
import { explore, fileMap, ioProgram, runOrder } from './io-harness.js';

/** SG_IO (seed 002): blk_rq_map_user_iov -> bio_map_user_iov, blk_execute_rq, blk_rq_unmap_user. */
const sgio = (rw: 'read' | 'write', buf = 'buf'): Op => ({
  op: 'sg-io',
  rw,
  file: 'sda',
  index: 0,
  buf,
  as: 'r',
});

function oneRead(release: string, rw: 'read' | 'write' = 'read') {
  return runOrder(
    profile(release),
    ioProgram({
      files: [{ name: 'sda', fs: 'bdev', pages: ['D'] }],
      mappings: [anon('buf')],
      setup: [{ op: 'write', buf: 'buf', data: 'A' }],
      actors: [{ process: 0, ops: [sgio(rw)] }],
      agents: ['device'],
    }),
    [0],
  );
}

describe('bio_map_user_iov: how the passthrough request holds the user page', () => {
  it.each(['v5.10', 'v6.1', 'v6.4'])('FOLL_GET references on %s', (r) => {
    const { world } = oneRead(r);
    const bio = world.bios[0];
    expect(bio?.bvecs[0]?.grab).toBe('ref');
    expect(bio?.flags.pagePinned).toBe(false);
  });
  it.each(['v6.5', 'v6.12', 'v7.2'])('FOLL_PIN with BIO_PAGE_PINNED on %s', (r) => {
    const { world } = oneRead(r);
    const bio = world.bios[0];
    expect(bio?.bvecs[0]?.grab).toBe('pin');
    expect(bio?.flags.pagePinned).toBe(true);
  });
});

describe('blk_rq_unmap_user: bio_release_pages(bio, READ)', () => {
  it.each(RELEASES)('on %s the read lands, every grab is released, and the result is one page', (r) => {
    const { world, violations } = oneRead(r);
    expect(violations).toEqual([]);
    expect(world.actors[0]?.regs.r).toBe('1');
    const page = world.folios.find((f) => !f.freed && f.data === 'D');
    expect(page?.refcount).toBe(1);
    expect(page?.pincount ?? 0).toBe(0);
    expect(world.bios[0]?.state).toBe('put');
  });
  it('a write sends the page and leaves the disk with its data', () => {
    const { world } = oneRead('v6.18', 'write');
    expect(world.files[0]?.disk[0]).toBe('A');
  });
  it('a read re-dirties a MAP_SHARED file page that writeback cleaned during the DMA', () => {
    const r = explore(
      profile('v6.18'),
      ioProgram({
        files: [
          { name: 'sda', fs: 'bdev', pages: ['D'] },
          { name: 'f', fs: 'xfs', pages: ['A'] },
        ],
        mappings: [fileMap('buf', 1, true)],
        setup: [{ op: 'write', buf: 'buf', data: 'B' }],
        actors: [
          { process: 0, ops: [sgio('read')] },
          { process: 0, ops: [{ op: 'fsync', file: 'f' }] },
        ],
        agents: ['device'],
      }),
    );
    const dirty = r.events.filter((e) => e.type === 'dirty-without-fs');
    expect(dirty.map((e) => e.type === 'dirty-without-fs' && e.fn)).toContain('bio_release_pages');
  });
});

describe("Al Viro's alternative (bio.releaseDirty=set-dirty-first) behaves as mark_dirty does", () => {
  const loaded = loadScenarios(libraryFiles(), displayName);
  if (!loaded.ok) throw new Error(loaded.messages.join('\n'));
  const ids = ['sgio-read-redirty', 'sgio-read-fork', 'should-dirty-redirty', 'dio-dirty-after-writeback'];
  const scenarios = loaded.scenarios.filter((s) => ids.includes(s.scenario.id.replace(/\[.*\]$/, '')));
  it('covers both of its callers (blk_rq_unmap_user, __blkdev_direct_IO_simple)', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(ids.length);
  });
  it.each(['v5.10', 'v6.4', 'v6.5', 'v6.18', 'v7.2'])('the same verdict for every condition on %s', (r) => {
    const verdicts = (set: Record<string, string>): string[] =>
      runSuite(scenarios, [profile(r, set)])
        // A what-if lists an invariant only when it fires; the kernel's run also lists expected ones.
        .filter((row) => row.kind === 'condition' || row.verdict !== 'never')
        .map((row) => `${row.scenario} ${row.condition} ${row.verdict}`);
    const kernel = verdicts({});
    expect(kernel.length).toBeGreaterThan(0);
    expect(verdicts({ 'bio.releaseDirty': 'set-dirty-first' })).toEqual(kernel);
  });
  it('dirties through bio_set_pages_dirty instead of bio_release_pages', () => {
    const run = (set: Record<string, string>) =>
      explore(
        profile('v6.18', set),
        ioProgram({
          files: [
            { name: 'sda', fs: 'bdev', pages: ['D'] },
            { name: 'f', fs: 'xfs', pages: ['A'] },
          ],
          mappings: [fileMap('buf', 1, true)],
          setup: [{ op: 'write', buf: 'buf', data: 'B' }],
          actors: [
            { process: 0, ops: [sgio('read')] },
            { process: 0, ops: [{ op: 'fsync', file: 'f' }] },
          ],
          agents: ['device'],
        }),
      ).events.flatMap((e) => (e.type === 'dirty-without-fs' ? [e.fn] : []));
    expect(new Set(run({ 'bio.releaseDirty': 'set-dirty-first' }))).toEqual(new Set(['bio_set_pages_dirty']));
    expect(new Set(run({}))).toEqual(new Set(['bio_release_pages']));
  });
});
