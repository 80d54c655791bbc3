import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
  readonly onStep: (k: number) => void;
}

const AGENT_ROLE: Readonly<Record<string, string>> = {
  device: 'block device',
  flusher: 'writeback',
  'bio-dirty-work': 'workqueue',
};

/** One lane (column) per actor; each step sits in its actor's lane, in order, top to bottom. */
export function Lanes({ run, step, onStep }: Props) {
  const actors = run.result.actors ?? [];
  const selected = useRef<HTMLTableRowElement>(null);
  useEffect(() => selected.current?.scrollIntoView({ block: 'nearest' }), [step]);
  const row = (k: number, cells: (a: number) => ComponentChildren, bad: boolean) => (
    <tr
      key={k}
      ref={k === step ? selected : null}
      class={`${k === step ? 'selected' : ''}${bad ? ' bad' : ''}`}
      data-step={k}
      onClick={() => onStep(k)}
    >
      <th scope="row">{k}</th>
      {actors.map((a) => (
        <td key={a.actor}>{cells(a.actor)}</td>
      ))}
    </tr>
  );
  return (
    <section class="lanes" aria-label="steps by actor">
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
          {row(0, (a) => (a === actors[0]?.actor ? <span class="start">start</span> : null), false)}
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
        </tbody>
      </table>
    </section>
  );
}
