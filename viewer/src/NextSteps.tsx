import type { Transition } from '../../src/model/engine/step.js';
import type { NextStep } from './explore.js';

interface Props {
  readonly steps: readonly NextStep[];
  readonly onPick: (t: Transition) => void;
}

/** The steps enabled in the state shown, one button each: picking one runs it after this step. */
export function NextSteps({ steps, onPick }: Props) {
  return (
    <section class="next-steps" aria-label="enabled steps">
      <h2>
        Next step <small>({steps.length === 0 ? 'none enabled' : `${steps.length} enabled`})</small>
      </h2>
      <ul>
        {steps.map((n) => (
          <li key={`${n.transition.actor}c${n.transition.choice}`}>
            <button
              type="button"
              class={`next${n.breaks.length > 0 ? ' breaks' : ''}`}
              data-actor={n.transition.actor}
              data-choice={n.transition.choice}
              onClick={() => onPick(n.transition)}
            >
              <b>{n.actorName}</b> <code>{n.fn}()</code>
              <small>
                {n.op}
                {n.folios.length > 0 ? ` · folio ${n.folios.join(', ')}` : ''}
                {n.ret !== null ? ` = ${n.ret}` : ''}
              </small>
              {n.breaks.map((b) => (
                <small key={b} class="violation-tag">
                  !! would violate {b}
                </small>
              ))}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
