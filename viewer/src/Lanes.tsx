import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Run } from './state.js';

/**
 * Up to this many lanes share the width with the state pane; more take the whole width, with the state
 * pane below, since nine lanes in half of a 1280 px window wrap every function name.
 */
const SIDE_BY_SIDE_LANES = 4;

/** The page body's class: lanes beside the state pane, or above it when there are many. */
export const bodyClass = (run: Run): string =>
  run.actors.length > SIDE_BY_SIDE_LANES ? 'body many-lanes' : 'body';

interface Props {
  readonly run: Run;
  readonly step: number;
  readonly onStep: (k: number) => void;
  /** A step to mark (the first where two releases differ), and why. */
  readonly marked?: { readonly step: number; readonly text: string } | null;
  /** The lanes' name for assistive technology. */
  readonly label?: string;
  /** The step of the path this release cannot take (its run stops before it), or null. */
  readonly stopsAt?: number | null;
}

const AGENT_ROLE: Readonly<Record<string, string>> = {
  device: 'block device',
  flusher: 'writeback',
  'bio-dirty-work': 'workqueue',
};

/** One lane (column) per actor; each step sits in its actor's lane, in order, top to bottom. */
export function Lanes({ run, step, onStep, marked = null, label = 'steps by actor', stopsAt = null }: Props) {
  const actors = run.actors;
  // Where the path stops on this release: told, or the marked difference when it lies past the run.
  const stop = stopsAt ?? (marked !== null && marked.step > run.steps.length ? marked.step : null);
  const selected = useRef<HTMLTableRowElement>(null);
  useEffect(() => selected.current?.scrollIntoView({ block: 'nearest' }), [step]);
  /** A step's number, marked when it is the first that differs. */
  const rowHead = (k: number) => (
    <th scope="row" title={marked?.step === k ? marked.text : undefined}>
      {marked?.step === k ? <span class="differs-tag">≠ </span> : null}
      {k}
    </th>
  );
  const row = (k: number, cells: (a: number) => ComponentChildren, bad: boolean) => (
    <tr
      key={k}
      ref={k === step ? selected : null}
      class={`${k === step ? 'selected' : ''}${bad ? ' bad' : ''}${marked?.step === k ? ' differs' : ''}`}
      data-step={k}
      aria-current={k === step ? 'step' : undefined}
      onClick={() => onStep(k)}
    >
      {rowHead(k)}
      {actors.map((a) => (
        <td key={a.actor}>{cells(a.actor)}</td>
      ))}
    </tr>
  );
  return (
    <section class="lanes" aria-label={label}>
      <table style={{ '--lanes': actors.length }}>
        <thead>
          <tr>
            <th scope="col">step</th>
            {actors.map((a) => (
              <th scope="col" key={a.actor}>
                {a.name}
                <small>
                  {a.kind === 'thread' ? `thread in ${a.process ?? '?'}` : (AGENT_ROLE[a.name] ?? 'agent')}
                </small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row(
            0,
            (a) =>
              a === actors[0]?.actor ? (
                <button type="button" class="step start">
                  start
                </button>
              ) : null,
            false,
          )}
          {run.steps.map((s) =>
            row(
              s.step,
              (a) =>
                a === s.actor ? (
                  <button type="button" class="step" title={s.calls.join(' > ')}>
                    <code>{s.fn}()</code>
                    <small>
                      {s.op}
                      {s.ret !== null ? ` = ${s.ret}` : ''}
                    </small>
                    {s.violations.map((v) => (
                      <small key={v.invariant} class="violation-tag">
                        !! {v.invariant}
                      </small>
                    ))}
                  </button>
                ) : null,
              s.violations.length > 0,
            ),
          )}
          {stop !== null ? (
            <tr class={marked?.step === stop ? 'differs' : 'stops'} data-step={stop}>
              {rowHead(stop)}
              <td colSpan={actors.length} class="absent">
                not enabled on this release: the path stops here
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
