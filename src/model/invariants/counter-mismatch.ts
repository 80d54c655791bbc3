import type { CounterProblem } from '../core/events.js';
import type { Invariant, Violation } from './types.js';

/** The event's own problem, or a negative counter found on a live folio. */
type Code = CounterProblem | 'negative-counter';

/** An unpin of a reference, a put of a pin, a release of a page never grabbed, a negative counter. */
export const counterMismatch: Invariant<Code> = {
  name: 'counter-mismatch',
  severity: 'error',
  scope: 'step',
  doc: 'an unpin of a ref, a put of a pin, a release of a page never grabbed, a negative counter',
  check({ world, events }) {
    const out: Violation<Code>[] = [];
    for (const e of events)
      if (e.type === 'counter-mismatch')
        out.push({ code: e.what, invariant: 'counter-mismatch', folios: [e.folio], what: e.what });
    for (const f of world.folios)
      if (!f.freed && (f.refcount < 0 || f.pincount < 0))
        out.push({
          code: 'negative-counter',
          invariant: 'counter-mismatch',
          folios: [f.id],
          what: 'negative counter',
        });
    return out;
  },
};
