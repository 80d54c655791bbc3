import { describe, expect, it } from 'vitest';
import { FOLL_LONGTERM } from '../../../src/model/include/foll.js';
import { opDef } from '../../../src/model/ops/index.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { releaseAtLeast } from '../../../src/model/profile/release.js';
import { peekBuffer } from '../../../src/model/engine/observe.js';
import { anon, op, profile, program, reg, runSchedule } from '../harness.js';

/** Releases without pin_user_pages(): FOLL_PIN scenarios cannot run there at all. */
const NO_PIN = ['v4.19', 'v5.4'];
const PIN_RELEASES = RELEASES.filter((r) => !NO_PIN.includes(r));

/**
 * (b) A FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE pin (RDMA, VFIO), then fork, then a write by the parent:
 * does the pinned page stay the one the parent maps? From v5.9 fork copies the pinned page for the
 * child; on v5.8 the parent's write COWs away from its own pinned page (the write is lost to DMA).
 */
describe('longterm write pin, fork, parent write', () => {
  const pinOp = op.pinLongtermWrite('buf', 'h');
  function run(release: string) {
    const prog = program(
      [anon('buf')],
      [{ process: 0, ops: [pinOp, op.fork(1), op.write('buf', 'P'), op.peek('h', 'seen')] }],
      [op.write('buf', 'A')],
    );
    const r = runSchedule(profile(release), prog);
    const pte = r.world.mms[0]?.vmas[0]?.pte;
    const held = r.world.actors[0]?.held['h']?.folios[0];
    return { r, samePage: pte?.kind === 'present' && pte.folio === held, seen: reg(r, 0, 'seen') };
  }
  it.each(NO_PIN)('cannot run on %s: pin_user_pages() does not exist', (r) => {
    expect(opDef(pinOp).unavailable(profile(r).policies, pinOp)).toEqual(expect.any(String));
  });
  it.each(PIN_RELEASES)(
    "on %s: the pinned page is still the parent's and sees its write from v5.9 on",
    (r) => {
      const { r: run1, samePage, seen } = run(r);
      const kept = releaseAtLeast(r, 'v5.9');
      expect(samePage).toBe(kept);
      expect(seen).toBe(kept ? 'P' : 'A');
      expect(run1.events).toEqual([]);
    },
  );
  it.each(PIN_RELEASES)('on %s: the child keeps the data from before the fork', (r) => {
    const { r: run1 } = run(r);
    expect(peekBuffer(run1.world, run1.world.processes[1] ?? null, 'buf')).toBe('A');
  });
});

/**
 * (c) An R/O pin (FOLL_PIN, no FOLL_WRITE) of an anonymous page the parent shares with a child after
 * fork; then the child writes, then the parent writes. The pin is reliable when it shows the parent's
 * write: from v5.19 the pin first unshares the page (FAULT_FLAG_UNSHARE). v5.9-v5.15 pin the shared
 * page and the parent's later write copies away from it (refcount > 1). v5.8 is reliable in this
 * sequence too: should_force_cow_break() turned every grab in a COW mapping (FOLL_PIN included, in
 * mainline) into a write fault, so the parent pinned its own copy.
 */
describe('R/O pin of a page shared with a child', () => {
  const reliableOn = (r: string): boolean =>
    r === 'v5.8' || releaseAtLeast(r as `v${number}.${number}`, 'v5.19');
  function seen(release: string, flags: number): string | undefined {
    const prog = program(
      [anon('buf')],
      [
        {
          process: 0,
          ops: [op.fork(1), op.pin('buf', 'h', flags), op.write('buf', 'P'), op.peek('h', 'seen')],
        },
        { process: 1, ops: [op.write('buf', 'C')] },
      ],
      [op.write('buf', 'A')],
    );
    // parent forks and pins; the child writes; the parent writes, then reads through its pin.
    const r = runSchedule(profile(release), prog, [0, 0, 1, 0, 0]);
    expect(peekBuffer(r.world, r.world.processes[1] ?? null, 'buf')).toBe('C');
    expect(peekBuffer(r.world, r.world.processes[0] ?? null, 'buf')).toBe('P');
    return reg(r, 0, 'seen');
  }
  it.each(NO_PIN)('cannot run on %s: pin_user_pages() does not exist', (r) => {
    const pin = op.pin('buf', 'h');
    expect(opDef(pin).unavailable(profile(r).policies, pin)).toEqual(expect.any(String));
  });
  for (const [label, flags] of [
    ['short-term', 0],
    ['longterm', FOLL_LONGTERM],
  ] as const) {
    it.each(PIN_RELEASES)(
      `${label}: on %s the pin shows the parent's later write iff it is reliable`,
      (r) => {
        expect(seen(r, flags)).toBe(reliableOn(r) ? 'P' : 'A');
      },
    );
  }
});
