import type { TraceGroup } from './state.js';

interface Props {
  readonly groups: readonly TraceGroup[];
  readonly group: number;
  readonly kernel: number;
  readonly onGroup: (i: number) => void;
  readonly onKernel: (i: number) => void;
}

const label = (g: TraceGroup): string =>
  `${g.scenario}  ${g.kind === 'invariant' ? `[${g.condition}]` : g.condition}`;

/** Which run: the scenario and condition, then the release (one button per kernel in the file). */
export function Picker({ groups, group, kernel, onGroup, onKernel }: Props) {
  const g = groups[group];
  const r = g?.results[kernel];
  return (
    <header class="picker">
      <h1>pinlab</h1>
      {groups.length > 1 ? (
        <select
          aria-label="scenario and condition"
          value={String(group)}
          onChange={(e) => {
            onGroup(Number(e.currentTarget.value));
            e.currentTarget.blur(); // give the arrow keys back to stepping
          }}
        >
          {groups.map((x, i) => (
            <option key={x.key} value={String(i)}>
              {label(x)}
            </option>
          ))}
        </select>
      ) : (
        <span class="run-name">{g ? label(g) : ''}</span>
      )}
      <div class="releases" role="group" aria-label="release">
        {g?.results.map((x, i) => (
          <button
            key={x.kernel}
            type="button"
            class={`release${i === kernel ? ' selected' : ''}${x.trace ? '' : ' no-trace'}`}
            aria-pressed={i === kernel}
            onClick={() => onKernel(i)}
          >
            {x.kernel} <span class="verdict">{x.verdict}</span>
          </button>
        ))}
      </div>
      {r ? (
        <p class="summary">
          {r.condition} is <b>{r.verdict}</b> on {r.kernel}
          {r.expected !== null ? ` (expected ${r.expected})` : ''}
          {r.replay ? (
            <>
              {' · replay: '}
              <code>pinlab replay '{r.replay}'</code>
            </>
          ) : null}
        </p>
      ) : null}
    </header>
  );
}
