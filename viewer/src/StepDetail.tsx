import { detailText, type Finding, type Run } from './state.js';

interface Props {
  readonly run: Run;
  readonly step: number;
  readonly onStep: (k: number) => void;
  /** What goes wrong at the step, and how the run stands at its end. */
  readonly findings: readonly Finding[];
  /** What to say of the state before the first step. */
  readonly start: string;
}

/** The selected step: the kernel function it models, what it called, what went wrong there. */
export function StepDetail({ run, step, onStep, findings, start }: Props) {
  const s = run.steps[step - 1];
  const last = run.steps.length;
  return (
    <section class="detail" aria-label="selected step">
      <nav class="stepper">
        <button type="button" onClick={() => onStep(0)} disabled={step === 0} aria-label="first step">
          Home
        </button>
        <button
          type="button"
          onClick={() => onStep(step - 1)}
          disabled={step === 0}
          aria-label="previous step"
        >
          ◀
        </button>
        <span class="position">
          step {step} of {last}
        </span>
        <button
          type="button"
          onClick={() => onStep(step + 1)}
          disabled={step === last}
          aria-label="next step"
        >
          ▶
        </button>
        <button type="button" onClick={() => onStep(last)} disabled={step === last} aria-label="last step">
          End
        </button>
        <span class="hint">keys: ← → Home End</span>
      </nav>
      {s ? (
        <div class="what">
          <p>
            <b>{s.actorName}</b>: {s.op} → <code class="fn">{s.fn}()</code>
            {s.ret !== null ? <> = {s.ret}</> : null}
          </p>
          {s.calls.length > 0 ? (
            <p class="calls">
              via <code>{s.calls.join(' > ')}</code>
            </p>
          ) : null}
          {s.events.map((e, i) => (
            <p key={i} class="event">
              event {e.type}:{' '}
              {detailText(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'type')))}
            </p>
          ))}
        </div>
      ) : (
        <p class="what">{start}</p>
      )}
      {findings.map((f) => (
        <div key={`${f.kind}:${f.name}`} class={`finding ${f.kind}`} role="status">
          <b class="finding-name">{f.name}</b> <span>{f.text}</span>
        </div>
      ))}
    </section>
  );
}
