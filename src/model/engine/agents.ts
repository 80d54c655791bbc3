import { bioDirtyFn } from '../block/bio.js';
import { deviceChoices, deviceTransfer } from '../block/device.js';
import { bioEndio } from '../block/endio.js';
import { flusherChoices, writebackFolio } from '../mm/page-writeback.js';
import type { Policies } from '../profile/policies/index.js';
import type { Ctx } from '../core/ctx.js';
import type { AgentKind } from './program.js';
import { bug, type World } from '../core/world.js';
import { ownBio, ownFolio, type Draft } from '../core/cow.js';

/** What one agent step did, for the trace. */
interface AgentOutcome {
  readonly fn: string;
  readonly folios: readonly number[];
}

/**
 * How many choices an agent has now (0: it cannot step). Choice k is the k-th of: the device's
 * in-flight bios by id (transfer or complete), the flusher's dirty page-cache folios by file and index,
 * the single bio_dirty_fn run. `policies` may be null when only quiescence is asked (the flusher then
 * ignores the wb.pinned what-if).
 */
export function agentChoiceCount(kind: AgentKind, w: World, policies: Policies | null): number {
  switch (kind) {
    case 'device':
      return deviceChoices(w).length;
    case 'flusher':
      return flusherChoices(w, policies).length;
    case 'bio-dirty-work':
      return w.bioDirtyList.length > 0 ? 1 : 0;
  }
}

/** Run choice `choice` of agent `kind` on the draft World. */
export function agentStep(kind: AgentKind, ctx: Ctx, w: Draft, choice: number): AgentOutcome {
  switch (kind) {
    case 'device': {
      const c = deviceChoices(w)[choice] ?? bug('agentStep', `device has no choice ${choice}`);
      const bio = ownBio(w, c.bio);
      const folios = bio.bvecs.map((b) => b.folio);
      if (c.kind === 'dma') {
        deviceTransfer(ctx, w, bio);
        return { fn: bio.op === 'read' ? 'dma-to-memory' : 'dma-from-memory', folios };
      }
      return { fn: bioEndio(ctx, w, bio), folios };
    }
    case 'flusher': {
      const id =
        flusherChoices(w, ctx.policies)[choice] ?? bug('agentStep', `flusher has no choice ${choice}`);
      writebackFolio(ctx, w, ownFolio(w, id));
      return { fn: 'write_cache_pages', folios: [id] };
    }
    case 'bio-dirty-work':
      return { fn: 'bio_dirty_fn', folios: bioDirtyFn(ctx, w) };
  }
}
