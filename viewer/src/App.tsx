import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { TraceFile } from '../../src/report/trace-file.js';
import { ObjectTables } from './ObjectTables.js';
import { FolioTable } from './FolioTable.js';
import { Lanes } from './Lanes.js';
import { Picker } from './Picker.js';
import { PteTable } from './PteTable.js';
import { firstGroup, firstResult, runOf, traceGroups } from './state.js';
import { StepDetail } from './StepDetail.js';

/**
 * Left/right step, Home/End jump; keys typed into a form control are left to it. A layout effect, so
 * the keys work as soon as the page shows (a plain effect waits for the next frame).
 */
function useStepKeys(last: number, setStep: (f: (k: number) => number) => void): void {
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target instanceof HTMLSelectElement) return;
      const to: Record<string, (k: number) => number> = {
        ArrowLeft: (k) => Math.max(0, k - 1),
        ArrowRight: (k) => Math.min(last, k + 1),
        Home: () => 0,
        End: () => last,
      };
      const move = to[e.key];
      if (!move) return;
      e.preventDefault();
      setStep(move);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last, setStep]);
}

/**
 * Up to this many lanes share the width with the state pane; more take the whole width, with the state
 * pane below, since nine lanes in half of a 1280 px window wrap every function name.
 */
const SIDE_BY_SIDE_LANES = 4;

export function App({ file }: { readonly file: TraceFile }) {
  const groups = useMemo(() => traceGroups(file), [file]);
  const [group, setGroup] = useState(() => firstGroup(groups));
  const g = groups[group];
  const [kernel, setKernel] = useState(() => (g ? firstResult(g) : 0));
  const [step, setStep] = useState(0);
  const result = g?.results[kernel];
  const run = result ? runOf(result) : null;
  useStepKeys(run?.steps.length ?? 0, setStep);
  useEffect(() => {
    document.title = result ? `pinlab: ${result.scenario} ${result.condition} on ${result.kernel}` : 'pinlab';
  }, [result]);

  if (!g) return <main class="load-error">This trace file has no run to show (every verdict is never).</main>;
  const pickGroup = (i: number): void => {
    const ng = groups[i];
    setGroup(i);
    setKernel(ng ? firstResult(ng) : 0);
    setStep(0);
  };
  const pickKernel = (i: number): void => {
    setKernel(i);
    setStep((k) => Math.min(k, g.results[i]?.trace?.length ?? 0));
  };
  return (
    <div class="app">
      <Picker groups={groups} group={group} kernel={kernel} onGroup={pickGroup} onKernel={pickKernel} />
      {run ? (
        <div class={(run.result.actors?.length ?? 0) > SIDE_BY_SIDE_LANES ? 'body many-lanes' : 'body'}>
          <Lanes run={run} step={step} onStep={setStep} />
          <div class="state">
            <StepDetail run={run} step={step} onStep={setStep} />
            <FolioTable run={run} step={step} />
            <PteTable run={run} step={step} />
            <ObjectTables run={run} step={step} />
          </div>
        </div>
      ) : (
        <p class="no-run">
          {result
            ? `${result.condition} is ${result.verdict} on ${result.kernel}${result.reason ? ` (${result.reason})` : ''}: no run to show.`
            : ''}
        </p>
      )}
    </div>
  );
}
