import { bioDirtyFn } from '../block/bio.js';
import { deviceChoices, deviceTransfer } from '../block/device.js';
import { bioEndio } from '../block/endio.js';
import { flusherChoices, writebackFolio } from '../mm/page-writeback.js';
import type { Policies } from '../profile/policies/index.js';
import type { Ctx } from '../core/ctx.js';
import type { AgentKind } from './program.js';
import { bug, type World } from '../core/world.js';
import { ownBio, ownFolio, ownSkb, type Draft } from '../core/cow.js';
import { nicChoices, nicTransmit, tcpAck } from '../net/skbuff.js';

/** What one agent step did, for the trace. */
interface AgentOutcome {
  readonly fn: string;
  readonly folios: readonly number[];
}

/**
 * A kernel agent, as an operation is defined: how many choices it has now (0: it cannot step;
 * `policies` is null when only quiescence is asked, and the flusher then ignores the wb.pinned
 * what-if), and its step for one of them on a draft.
 */
interface AgentDef {
  choices(w: World, policies: Policies | null): number;
  step(ctx: Ctx, w: Draft, choice: number): AgentOutcome;
}

const AGENTS: { readonly [K in AgentKind]: AgentDef } = {
  // Choice k: the k-th in-flight bio by id, transferred (DMA) or completed (bio_endio).
  device: {
    choices: (w) => deviceChoices(w).length,
    step(ctx, w, choice) {
      const c = deviceChoices(w)[choice] ?? bug('device', `no choice ${choice}`);
      const bio = ownBio(w, c.bio);
      const folios = bio.bvecs.map((b) => b.folio);
      if (c.kind === 'dma') {
        deviceTransfer(ctx, w, bio);
        return { fn: bio.op === 'read' ? 'dma-to-memory' : 'dma-from-memory', folios };
      }
      return { fn: bioEndio(ctx, w, bio), folios };
    },
  },
  // Choice k: the k-th dirty page-cache folio, by file and index.
  flusher: {
    choices: (w, policies) => flusherChoices(w, policies).length,
    step(ctx, w, choice) {
      const id = flusherChoices(w, ctx.policies)[choice] ?? bug('flusher', `no choice ${choice}`);
      writebackFolio(ctx, w, ownFolio(w, id));
      return { fn: 'write_cache_pages', folios: [id] };
    },
  },
  // The single run of the deferred bio_dirty_fn work item.
  'bio-dirty-work': {
    choices: (w) => (w.bioDirtyList.length > 0 ? 1 : 0),
    step: (ctx, w) => ({ fn: 'bio_dirty_fn', folios: bioDirtyFn(ctx, w) }),
  },
  // Choice k: the k-th queued skb by id, transmitted; past those, the oldest unacknowledged skb,
  // once sent, acknowledged by the peer and freed (the ACK is cumulative).
  nic: {
    choices: (w) => {
      const c = nicChoices(w);
      return c.transmit.length + c.ack.length;
    },
    step(ctx, w, choice) {
      const c = nicChoices(w);
      const tx = c.transmit[choice];
      if (tx !== undefined) return { fn: 'dev_hard_start_xmit', folios: nicTransmit(ctx, w, ownSkb(w, tx)) };
      const id = c.ack[choice - c.transmit.length] ?? bug('nic', `no choice ${choice}`);
      return { fn: 'tcp_clean_rtx_queue', folios: tcpAck(ctx, w, ownSkb(w, id)) };
    },
  },
};

/** How many choices agent `kind` has now (0: it cannot step). */
export function agentChoiceCount(kind: AgentKind, w: World, policies: Policies | null): number {
  return AGENTS[kind].choices(w, policies);
}

/** Run choice `choice` of agent `kind` on the draft World. */
export function agentStep(kind: AgentKind, ctx: Ctx, w: Draft, choice: number): AgentOutcome {
  return AGENTS[kind].step(ctx, w, choice);
}
