import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TraceFile } from '../../src/report/trace-file.js';
import { bodyClass, Lanes } from './Lanes.js';
import { useStepKeys } from './keys.js';
import { Picker } from './Picker.js';
import { StatePane } from './StatePane.js';
import { findingsAt, firstGroup, firstResult, runOf, traceGroups } from './state.js';
import { StepDetail } from './StepDetail.js';

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
        <div class={bodyClass(run)}>
          <Lanes run={run} step={step} onStep={setStep} />
          <div class="state">
            <StepDetail
              run={run}
              step={step}
              onStep={setStep}
              findings={findingsAt(run, step)}
              start={`The state before the first step${run.result.end ? `; the run ends ${run.result.end}` : ''}.`}
            />
            <StatePane run={run} step={step} />
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
