import { describe, expect, it } from 'vitest';
import type { Op } from '../../../src/model/ops/index.js';
import type { Program } from '../../../src/model/engine/program.js';
import { RELEASES } from '../../../src/model/profile/profiles.js';
import { HOLDERS, heldCounts } from '../../../src/model/invariants/holders.js';
import type { World } from '../../../src/model/core/world.js';
import { instantiate } from '../../../src/model/engine/instantiate.js';
import { applyTransition, enabledTransitions } from '../../../src/model/engine/step.js';
import { anon, op, profile } from '../harness.js';
import { explore, runOrder } from '../io/io-harness.js';

const send = (zerocopy: boolean): Op => ({ op: 'send', buf: 'buf', zerocopy, as: 'z' });
const recv: Op = { op: 'recv', reg: 'seen' };
const errqueue: Op = { op: 'errqueue', as: 'z', reg: 'done' };

/** P (T0) sends buf, the peer (T1, process Q) receives; `agents` defaults to the NIC. */
function prog(t0: Op[], extra: { process: number; ops: Op[] }[] = [], agents: Program['agents'] = ['nic']) {
  return {
    files: [],
    processes: [
      { name: 'P', mappings: [anon('buf')], forked: false },
      { name: 'C', mappings: [], forked: true },
      { name: 'Q', mappings: [], forked: false },
    ],
    setup: [[0, op.write('buf', 'A')] as const],
    actors: [
      { name: 'T0', process: 0, ops: t0 },
      { name: 'T1', process: 2, ops: [recv] },
      ...extra.map((a, i) => ({ name: `T${i + 2}`, ...a })),
    ],
    agents,
  } satisfies Program;
}

/** The actor indices: T0 = 0, the peer = 1, the NIC after the program's actors. */
const NIC = 2;

/** The World after exactly the steps of `order` (actor indices, each actor's first choice). */
function prefix(release: string, program: Program, order: readonly number[]): World {
  const p = profile(release);
  let w = instantiate(program, p.policies);
  for (const actor of order) {
    const t = enabledTransitions(program, p.policies, w).find((x) => x.actor === actor);
    if (t === undefined) throw new Error(`actor ${actor} not enabled`);
    w = applyTransition(program, p.policies, w, t).world;
  }
  return w;
}

/**
 * TCP keeps a sent skb on its retransmit queue until the peer acknowledges it: the NIC transmits a
 * clone (__tcp_transmit_skb: 5.10.262 net/ipv4/tcp_output.c:1265, 6.1.176 :1265, 6.12.117 :1315,
 * 7.2.13 :1561), and the ACK frees the original (tcp_clean_rtx_queue: 5.10.262 net/ipv4/tcp_input.c:3366,
 * 6.1.176 :3412, 6.12.117 :3455, 7.2.13 :3698), whose skb_release_data() queues the completion and
 * drops the page reference (net/core/skbuff.c 625, 779, 1108, 1110).
 */
describe('MSG_ZEROCOPY: the skb borrows the page until the peer acknowledges it', () => {
  it.each(RELEASES)(
    '%s: sendmsg takes a FOLL_GET reference, the transmit keeps it, the ACK drops it and queues the completion',
    (r) => {
      const afterTx = prefix(r, prog([send(true), errqueue]), [0, NIC, 1]);
      const sent = afterTx.skbs[0];
      expect(sent).toMatchObject({ state: 'sent', wire: 'A', received: true, reaped: false });
      expect(afterTx.folios[sent?.folio ?? -1]?.refcount).toBe(2);
      expect(heldCounts(afterTx, ['skbs']).get(sent?.folio ?? -1)).toEqual({ refs: 1, pins: 0 });

      const x = runOrder(profile(r), prog([send(true), errqueue]), [0, NIC, 1, NIC, 0]);
      const skb = x.world.skbs[0];
      expect(skb).toMatchObject({ state: 'acked', wire: 'A', received: true, reaped: true });
      expect(x.world.actors[0]?.regs).toMatchObject({ z: '1', done: 'zerocopy' });
      expect(x.world.actors[1]?.regs).toMatchObject({ seen: 'A' });
      expect(x.world.folios[skb?.folio ?? -1]?.refcount).toBe(1);
      expect(x.labels.map((l) => l.fn)).toEqual(
        expect.arrayContaining(['dev_hard_start_xmit', 'tcp_clean_rtx_queue']),
      );
      expect(x.labels.flatMap((l) => l.calls)).toEqual(
        expect.arrayContaining([
          'zerocopy_fill_skb_from_iter',
          'iov_iter_get_pages2',
          '__tcp_transmit_skb',
          'tcp_clean_rtx_queue',
          'msg_zerocopy_callback',
        ]),
      );
      expect(x.violations).toEqual([]);
    },
  );
  it.each(RELEASES)('%s: errqueue waits for the ACK, not the transmit', (r) => {
    expect(() => prefix(r, prog([send(true), errqueue]), [0, NIC, 0])).toThrow(/not enabled/);
  });
  it.each(RELEASES)(
    '%s: a store after the transmit, before the ACK, changes no packet: the wire was fixed',
    (r) => {
      const x = runOrder(profile(r), prog([send(true), op.write('buf', 'B'), errqueue]), [
        0,
        NIC,
        0,
        1,
        NIC,
        0,
      ]);
      expect(x.world.actors[1]?.regs.seen).toBe('A');
      expect(x.violations).toEqual([]);
    },
  );
  it('holds the reference while queued: the folio counts one more and the skb is its holder', () => {
    const x = runOrder(profile('v6.6'), prog([send(true)], [], []), [0]);
    const id = x.world.skbs[0]?.folio ?? -1;
    expect(x.world.folios[id]?.refcount).toBe(2);
    expect(heldCounts(x.world, ['skbs']).get(id)).toEqual({ refs: 1, pins: 0 });
  });
  it('a store before the transmit reaches the wire; the same store after a copying send does not', () => {
    const zc = runOrder(profile('v6.12'), prog([send(true), op.write('buf', 'B')]), [0, 0, NIC, 1]);
    expect(zc.world.actors[1]?.regs.seen).toBe('B');
    const copy = runOrder(profile('v6.12'), prog([send(false), op.write('buf', 'B')]), [0, 0, NIC, 1]);
    expect(copy.world.actors[1]?.regs.seen).toBe('A');
    expect(copy.world.skbs[0]?.folio).toBeNull();
  });
  it('a copying send queues no completion: errqueue reads EAGAIN', () => {
    const x = runOrder(profile('v6.12'), prog([send(false), errqueue]), [0, 0]);
    expect(x.world.actors[0]?.regs.done).toBe('EAGAIN');
  });
  it('waits for the completion: errqueue is not enabled while the skb is queued', () => {
    expect(() => runOrder(profile('v6.12'), prog([send(true), errqueue]), [0, 0])).toThrow(/not enabled/);
  });
  it('an skb never transmitted still holds its page at the end: the holders account for it (no leak)', () => {
    const e = explore(profile('v6.12'), prog([send(true)], [], []));
    expect(e.violations.has('leak-at-exit')).toBe(false);
    expect(e.finals.every((w) => w.skbs[0]?.state === 'queued')).toBe(true);
    // Without the skbs' walk the owners would account one reference less than the folio has.
    const w = e.finals[0];
    if (w === undefined) throw new Error('no final state');
    const id = w.skbs[0]?.folio ?? -1;
    const others = (Object.keys(HOLDERS) as (keyof World)[]).filter((k) => k !== 'skbs');
    expect(heldCounts(w).get(id)?.refs).toBe(w.folios[id]?.refcount);
    expect(heldCounts(w, others).get(id)?.refs).toBe((w.folios[id]?.refcount ?? 0) - 1);
  });
  it('the peer waits for a packet: recv is not enabled before the transmit', () => {
    expect(() => runOrder(profile('v6.12'), prog([send(true)]), [0, 1])).toThrow(/not enabled/);
  });
});

describe('MSG_ZEROCOPY and fork: which process writes into the page the skb holds', () => {
  const fork: Op = op.fork(1);
  const forkProg = prog(
    [send(true), fork, op.write('buf', 'B')],
    [{ process: 1, ops: [op.write('buf', 'C')] }],
  );
  const seen = (r: string): Set<string> =>
    new Set(explore(profile(r), forkProg).finals.map((w) => w.actors[1]?.regs.seen ?? ''));
  it.each(['v4.19', 'v5.4', 'v5.8'])(
    '%s: the second writer reuses the page by mapcount: the wire may carry either write',
    (r) => {
      expect(seen(r)).toEqual(new Set(['A', 'B', 'C']));
    },
  );
  it.each(['v5.10', 'v6.1', 'v6.5', 'v7.2'])(
    '%s: the skb reference makes every write copy: the wire carries the data as sent',
    (r) => {
      expect(seen(r)).toEqual(new Set(['A']));
    },
  );
});

/**
 * TCP is a stream: the peer's recv() takes the data in send order (tcp_recvmsg(), from the receive
 * queue in sequence), and the ACK is cumulative, so tcp_clean_rtx_queue() frees the retransmit queue
 * from its head and stops at the first skb not wholly acknowledged (5.10.262
 * net/ipv4/tcp_input.c:3289/3296, 6.1.176 :3336/3343, 6.12.117 :3379/3386, 7.2.13 :3622/3629). A later
 * send's completion therefore means every earlier send was acknowledged, whose data the peer has.
 */
describe('MSG_ZEROCOPY over one TCP stream: delivery and completions in send order', () => {
  const sendAs = (buf: string, as: string): Op => ({ op: 'send', buf, zerocopy: true, as });
  const two = (t0: Op[]): Program => ({
    files: [],
    processes: [
      { name: 'P', mappings: [anon('a'), anon('b')], forked: false },
      { name: 'Q', mappings: [], forked: false },
    ],
    setup: [[0, op.write('a', 'A')] as const, [0, op.write('b', 'X')] as const],
    actors: [
      { name: 'T0', process: 0, ops: t0 },
      {
        name: 'R',
        process: 1,
        ops: [
          { op: 'recv', reg: 's1' },
          { op: 'recv', reg: 's2' },
        ],
      },
    ],
    agents: ['nic'],
  });
  it.each(RELEASES)(
    '%s: the second send transmitted first waits for the first: the peer reads A then X',
    (r) => {
      const p = two([sendAs('a', 'z1'), sendAs('b', 'z2')]);
      // T0 sends twice, the NIC (choice 1) transmits the second skb first: nothing to receive yet.
      const w = prefix(r, p, [0, 0]);
      const pol = profile(r).policies;
      const tx2 = enabledTransitions(p, pol, w).filter((t) => t.actor === 2);
      expect(tx2).toHaveLength(2);
      const after = applyTransition(p, pol, w, tx2[1] ?? tx2[0]!).world;
      expect(after.skbs.map((s) => s.state)).toEqual(['queued', 'sent']);
      expect(enabledTransitions(p, pol, after).some((t) => t.actor === 1)).toBe(false);
      // Nor can the peer acknowledge the second before the first is on the wire.
      expect(enabledTransitions(p, pol, after).filter((t) => t.actor === 2)).toHaveLength(1);
      const seen = new Set(
        explore(profile(r), p).finals.map((f) => `${f.actors[1]?.regs.s1}${f.actors[1]?.regs.s2}`),
      );
      expect(seen).toEqual(new Set(['AX']));
    },
  );
  it.each(RELEASES)(
    '%s: once the second send completes, a store to the first buffer cannot reach the wire',
    (r) => {
      const e = explore(
        profile(r),
        two([
          sendAs('a', 'z1'),
          sendAs('b', 'z2'),
          { op: 'errqueue', as: 'z2', reg: 'd' },
          op.write('a', 'B'),
        ]),
      );
      expect(new Set(e.finals.map((f) => f.actors[1]?.regs.s1))).toEqual(new Set(['A']));
      expect(new Set(e.finals.map((f) => f.actors[0]?.regs.d))).toEqual(new Set(['zerocopy']));
      expect(e.violations.size).toBe(0);
    },
  );
});
