import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { Transition } from '../../src/model/engine/step.js';
import { isProfileError, kernelProfile, profileNames } from '../../src/model/profile/profiles.js';
import type { Scenario } from '../../src/scenario/types.js';
import {
  cannotRun,
  firstDifference,
  nextSteps,
  outcomes,
  readToken,
  tokenOf,
  walk,
  type Difference,
  type Walk,
} from './explore.js';
import type { ExploreStart } from '../../src/report/explore-start.js';
import { placeHash, readPlace, type Place } from './explore-page.js';
import { useStepKeys } from './keys.js';
import { bodyClass, Lanes } from './Lanes.js';
import { NextSteps } from './NextSteps.js';
import { StatePane } from './StatePane.js';
import { violationsAt } from './state.js';
import { StepDetail } from './StepDetail.js';

interface Props {
  readonly data: ExploreStart;
  readonly scenarios: readonly Scenario[];
}

/** Everything the page shows for a place, or why it cannot show it. */
interface View {
  readonly scenario: Scenario;
  readonly a: Walk;
  /** The path as the token asked it (it may run further on another release). */
  readonly asked: readonly Transition[];
  readonly b: Walk | null;
  readonly diff: Difference | null;
  /** Something to say above the run: a step of the link that is not enabled, a release that cannot run. */
  readonly notice: string | null;
}

function viewOf(place: Place, scenarios: readonly Scenario[]): View | string {
  const read = readToken(place.token);
  if (typeof read === 'string') return read;
  const scenario = scenarios.find((s) => s.id === read.id);
  if (!scenario)
    return `no scenario '${read.id}' in this file (it has ${scenarios.map((s) => s.id).join(', ')})`;
  const refused = cannotRun(scenario, read.profile);
  if (refused !== null) return refused;
  const a = walk(scenario, read.profile, read.path);
  const notices: string[] = [];
  if (a.blockedAt !== null)
    notices.push(
      `step ${a.blockedAt + 1} of this path is not enabled on ${a.profile.name}: the path stops before it`,
    );
  let b: Walk | null = null;
  if (place.vs !== null) {
    const pb = kernelProfile(place.vs);
    const why = isProfileError(pb) ? `no release '${place.vs}' to compare with` : cannotRun(scenario, pb);
    if (why !== null) notices.push(why);
    else if (!isProfileError(pb)) b = walk(scenario, pb, a.path);
  }
  return {
    scenario,
    a,
    asked: read.path,
    b,
    diff: b ? firstDifference(a, b) : null,
    notice: notices.length > 0 ? notices.join('; ') : null,
  };
}

/**
 * Run the model, or say that it cannot: a what-if the model cannot complete (a fault loop that does not
 * converge) stops as `pinlab check` reports it, as a message, not as a blank page.
 */
function guarded<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `the model cannot run this: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The releases and variants, with the one shown first when it is a what-if (policies set). */
const kernelNames = (current: string): string[] =>
  profileNames().includes(current) ? profileNames() : [current, ...profileNames()];

/**
 * `pinlab view --explore`: pick the next step of any actor from the enabled ones, go back, see
 * invariants fire and conditions' values at final states, and the same path on a second release.
 */
export function Explorer({ data, scenarios }: Props) {
  const [place, setPlace] = useState<Place>(
    () =>
      readPlace(location.hash) ?? {
        token: data.token ?? `${data.scenario}@${data.kernel}:`,
        vs: data.vs,
        at: null,
      },
  );
  useEffect(() => {
    const onHash = (): void => {
      const p = readPlace(location.hash);
      if (p) setPlace(p);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // Layout, not passive, effect: the address names the state as soon as it renders (a passive effect
  // waits for a frame, and a copied link could name the step before).
  useLayoutEffect(() => {
    const h = placeHash(place);
    if (location.hash !== h) history.replaceState(null, '', h);
  }, [place]);
  const view = useMemo(() => guarded(() => viewOf(place, scenarios)), [place, scenarios]);
  const len = typeof view === 'string' ? 0 : view.a.path.length;
  const at = Math.min(place.at ?? len, len);
  const setStep = useCallback(
    (f: (k: number) => number) =>
      setPlace((p) => {
        const k = f(Math.min(p.at ?? len, len));
        return { ...p, at: k === len ? null : k };
      }),
    [len],
  );
  useStepKeys(len, setStep);
  useEffect(() => {
    document.title = typeof view === 'string' ? 'pinlab explore' : `pinlab explore: ${view.scenario.id}`;
  }, [view]);

  if (typeof view === 'string')
    return (
      <main class="load-error">
        <h1>pinlab cannot explore this</h1>
        <p role="alert">{view}</p>
        <p>
          <a href={placeHash({ token: `${data.scenario}@${data.kernel}:`, vs: null, at: null })}>
            back to the start on {data.kernel}
          </a>
        </p>
      </main>
    );
  const { scenario, a, b, diff } = view;
  const profile = a.profile;
  const go = (k: number): void => setStep(() => k);
  const pick = (t: Transition): void =>
    setPlace((p) => ({ ...p, token: tokenOf(scenario, profile, [...a.path.slice(0, at), t]), at: null }));
  const setKernel = (name: string): void => {
    const p = kernelProfile(name);
    if (!isProfileError(p)) setPlace((x) => ({ ...x, token: tokenOf(scenario, p, view.asked) }));
  };
  const world = a.worlds[at];
  const offered = world ? guarded(() => nextSteps(scenario, profile, world)) : [];
  const next = typeof offered === 'string' ? [] : offered;
  const notice = [view.notice, typeof offered === 'string' ? offered : null].filter((x) => x !== null);
  const findings = [...violationsAt(a.run, at), ...(world ? outcomes(scenario, profile, world) : [])];
  const token = tokenOf(scenario, profile, a.path.slice(0, at));
  const link = placeHash({
    token: tokenOf(scenario, profile, a.path),
    vs: place.vs,
    at: at === len ? null : at,
  });
  const detail = (
    <StepDetail
      run={a.run}
      step={at}
      onStep={go}
      findings={findings}
      start="The state before the first step: pick a step below to run it."
    />
  );
  return (
    <div class="app explorer">
      <header class="picker">
        <h1>pinlab explore</h1>
        <span class="run-name">{scenario.name}</span>
        <label>
          release{' '}
          <select
            aria-label="release"
            value={profile.name}
            onChange={(e) => setKernel(e.currentTarget.value)}
          >
            {kernelNames(profile.name).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          compare with{' '}
          <select
            aria-label="compare with"
            value={place.vs ?? ''}
            onChange={(e) => {
              const vs = e.currentTarget.value;
              setPlace((x) => ({ ...x, vs: vs === '' ? null : vs }));
            }}
          >
            <option value="">no other release</option>
            {profileNames().map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <p class="summary">
          replay: <code class="token">{token}</code> ·{' '}
          <a class="reopen" href={link}>
            link to this state
          </a>
        </p>
      </header>
      {notice.length > 0 ? (
        <p class="notice" role="alert">
          {notice.join('; ')}
        </p>
      ) : null}
      {b ? (
        <p
          class={`difference${diff ? ' found' : ''}`}
          role="status"
          data-step={diff?.step}
          data-why={diff?.why}
        >
          {diff
            ? `First difference: ${diff.text}.`
            : `The ${a.path.length} steps run alike on ${profile.name} and ${b.profile.name}.`}
        </p>
      ) : null}
      {b ? (
        <div class="body compare">
          <div class="controls">
            {detail}
            <NextSteps steps={next} onPick={pick} />
          </div>
          {[a, b].map((w) => (
            <div class="side" key={w.profile.name}>
              <h2 class="side-name">{w.profile.name}</h2>
              <Lanes
                run={w.run}
                step={Math.min(at, w.run.steps.length)}
                onStep={go}
                marked={diff ? { step: diff.step, text: diff.text } : null}
                label={`steps by actor on ${w.profile.name}`}
                stopsAt={w.blockedAt === null ? null : w.blockedAt + 1}
              />
              <div class="state">
                {w === b && at > w.run.steps.length ? (
                  <p class="absent">Step {at} is past where this path stops on this release.</p>
                ) : null}
                <StatePane run={w.run} step={Math.min(at, w.run.steps.length)} />
              </div>
            </div>
          ))}
        </div>
      ) : (
        <div class={bodyClass(a.run)}>
          <Lanes run={a.run} step={at} onStep={go} />
          <div class="state">
            {detail}
            <NextSteps steps={next} onPick={pick} />
            <StatePane run={a.run} step={at} />
          </div>
        </div>
      )}
    </div>
  );
}
