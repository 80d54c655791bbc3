import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import type { TraceFile } from '../../src/report/trace-file.js';
import type { Scenario } from '../../src/scenario/types.js';
import { placeHash, readPlace, scenariosOf } from '../../viewer/src/explore-page.js';
import {
  cannotRun,
  firstDifference,
  nextSteps,
  outcomes,
  readToken,
  tokenOf,
  walk,
} from '../../viewer/src/explore.js';
import { DIO_READ_FORK, explainTrace } from './fixtures.js';

function profile(name: string): KernelProfile {
  const p = kernelProfile(name);
  if (isProfileError(p)) throw new Error(p.code);
  return p;
}

function scenario(file: string, id: string): Scenario {
  const source = readFileSync(file, 'utf8');
  const all = scenariosOf({ file, source, scenario: id, kernel: 'v6.4', vs: null, token: null });
  const s = typeof all === 'string' ? undefined : all.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
}

const dioReadFork = (): Scenario => scenario(DIO_READ_FORK[0], 'dio-read-fork[path=blkdev]');

/** explain's run of dio-read-fork[path=blkdev] on v6.4 for `condition`. */
function explained(condition: string) {
  const file = JSON.parse(readFileSync(explainTrace(DIO_READ_FORK[0], 'v6.4'), 'utf8')) as TraceFile;
  const r = file.results.find((x) => x.condition === condition && x.trace !== null);
  if (!r?.trace || !r.replay) throw new Error(`no run for ${condition}`);
  const t = readToken(r.replay);
  if (typeof t === 'string') throw new Error(t);
  return { result: r, path: t.path };
}

describe('the explorer, run in the page', () => {
  it("walks explain's run step by step: each step enabled, named as the trace names it, the same states", () => {
    const s = dioReadFork();
    const { result, path } = explained('lost-dio-data');
    const v64 = profile('v6.4');
    const w = walk(s, v64, path);
    expect(w.blockedAt).toBeNull();
    for (const [i, t] of path.entries()) {
      const offered = nextSteps(s, v64, w.worlds[i] as never);
      const mine = offered.find((n) => n.transition.actor === t.actor && n.transition.choice === t.choice);
      expect(mine?.fn).toBe(result.trace?.[i]?.fn);
      // The step that breaks the invariant says so before it is taken.
      expect(mine?.breaks).toEqual(i === path.length - 1 ? ['lost-dio-data'] : []);
    }
    expect(w.run.steps).toEqual(result.trace);
    expect(w.run.initial).toEqual(result.initial);
  });

  it("gives each condition's value in a final state only", () => {
    const s = dioReadFork();
    const { path } = explained('sync-parent-lost');
    const w = walk(s, profile('v6.4'), path);
    const at = (k: number) => outcomes(s, w.profile, w.worlds[k] as never).map((f) => `${f.name}: ${f.text}`);
    expect(at(path.length)).toEqual([
      'sync-parent-lost: exists condition: true in this final state',
      'async-parent-lost: exists condition: true in this final state',
    ]);
    expect(at(path.length - 1)).toEqual([]);
  });

  it('reads back the tokens it writes, and refuses others with a reason', () => {
    const s = dioReadFork();
    const { path } = explained('lost-dio-data');
    const token = tokenOf(s, profile('v6.4'), path);
    expect(token).toBe('dio-read-fork[path=blkdev]@v6.4:0.1.1.1.2.2.0');
    const back = readToken(token);
    expect(typeof back !== 'string' && [back.id, back.profile.name, back.path]).toEqual([s.id, 'v6.4', path]);
    expect(readToken('v6.4:0.1')).toMatch(/is not a replay token/);
    expect(readToken('x@v9.9:0')).toBe("the token names no known kernel or policy ('v9.9')");
    expect(
      cannotRun(scenario('scenarios/longterm-pin-fork.pin', 'longterm-pin-fork'), profile('v5.4')),
    ).toMatch(/^v5\.4 cannot run T0's operation 1 \(/);
  });

  it('keeps its place in the URL fragment, whatever the token holds', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.option(fc.string({ minLength: 1 })),
        fc.option(fc.nat()),
        (token, vs, at) => {
          expect(readPlace(placeHash({ token, vs, at }))).toEqual({ token, vs, at });
        },
      ),
    );
    expect(readPlace('')).toBeNull();
    expect(readPlace('#replay=x&at=-1')).toEqual({ token: 'x', vs: null, at: null });
  });

  it('finds where two releases first differ: another call, another return, or nothing', () => {
    const s = dioReadFork();
    const { path } = explained('lost-dio-data');
    const a = walk(s, profile('v6.4'), path);
    expect(firstDifference(a, walk(s, profile('v6.4'), path))).toBeNull();
    const d = firstDifference(a, walk(s, profile('v6.5'), path));
    expect(d?.step).toBe(1);
    expect(d?.why).toBe('other');
    // v6.5's block-device DIO extracts the user pages (pins them) where v6.4 took references.
    expect(d?.text).toBe(
      'step 1 calls __blkdev_direct_IO_simple > bio_iov_iter_get_pages > iov_iter_get_pages2 > submit_bio on v6.4' +
        ' and calls __blkdev_direct_IO_simple > bio_iov_iter_get_pages > iov_iter_extract_pages > submit_bio on v6.5',
    );
    const uring = scenario('scenarios/uring-unregister-inflight.pin', 'uring-unregister-inflight');
    const t = readToken('uring-unregister-inflight@v6.13:0.1.1.1.2.2.0');
    if (typeof t === 'string') throw new Error(t);
    // Up to v6.12 the unregister hides the table and waits in io_rsrc_ref_quiesce(): its first step
    // does not return, and T1's next step (the quiesce) is not enabled while the read is in flight.
    const b = walk(uring, profile('v6.12'), t.path);
    expect(b.blockedAt).toBe(2);
    expect(firstDifference(walk(uring, t.profile, t.path), b)).toEqual({
      step: 2,
      why: 'other',
      text: 'step 2 returns 0 on v6.13 and returns nothing on v6.12',
    });
  });
});
