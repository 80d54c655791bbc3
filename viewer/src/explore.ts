import { evalProp } from '../../src/check/evaluate.js';
import { unavailableOps } from '../../src/check/index.js';
import { stepViolations } from '../../src/check/invariants.js';
import { decodeToken, encodeToken } from '../../src/check/replay.js';
import { worldKey } from '../../src/check/state-key.js';
import { actorName, runSteps, traceActors } from '../../src/check/trace.js';
import type { World } from '../../src/model/core/world.js';
import { instantiate } from '../../src/model/engine/instantiate.js';
import {
  applyTransition,
  enabledTransitions,
  quiescent,
  type Transition,
} from '../../src/model/engine/step.js';
import { INVARIANTS } from '../../src/model/invariants/index.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../../src/model/profile/profiles.js';
import { functionName, sameCalls, sameFunction } from '../../src/model/profile/names.js';
import { fileStep } from '../../src/report/trace-file.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { Finding, Run } from './state.js';

/**
 * The explorer: a scenario run step by step in the page by the model itself (the same code the checker
 * runs), one transition at a time as the user picks them. A path is a list of transitions, written in
 * the URL as `pinlab replay`'s token, so a link reopens the exact state.
 */

/** A path run on one kernel: its trace steps for the tables, and the World after each step. */
export interface Walk {
  readonly profile: KernelProfile;
  readonly run: Run;
  /** worlds[k]: the World after k steps (worlds[0] the initial one). */
  readonly worlds: readonly World[];
  /** The transitions that ran: the path, up to the first that was not enabled. */
  readonly path: readonly Transition[];
  /** Index (0-based) of the first transition of the path that was not enabled, or null. */
  readonly blockedAt: number | null;
}

/** Why a kernel cannot run the scenario at all (an operation it lacks), or null. */
export function cannotRun(s: Scenario, profile: KernelProfile): string | null {
  const [u] = unavailableOps(s.program, profile);
  if (!u) return null;
  const who = u.pc < 0 ? 'setup' : `${actorName(s.program, u.actor)}'s operation ${u.pc + 1}`;
  return `${profile.name} cannot run ${who} (${u.op}): ${u.reason}`;
}

/** Run `path` on `profile` as far as it is enabled, as `pinlab replay` does. */
export function walk(s: Scenario, profile: KernelProfile, path: readonly Transition[]): Walk {
  const { program } = s;
  const initial = instantiate(program, profile.policies);
  const r = runSteps(program, profile, initial, path, INVARIANTS);
  const ran = path.slice(0, r.steps.length);
  const worlds = [initial];
  for (const t of ran)
    worlds.push(applyTransition(program, profile.policies, worlds.at(-1) as World, t).world);
  return {
    profile,
    run: { actors: traceActors(program), steps: r.steps.map(fileStep), initial: r.initial },
    worlds,
    path: ran,
    blockedAt: r.notEnabledAt,
  };
}

/** A step the user can take next: the transition and what it would do (the names traces use). */
export interface NextStep {
  readonly transition: Transition;
  readonly actorName: string;
  readonly op: string;
  readonly fn: string;
  readonly folios: readonly number[];
  readonly ret: number | null;
  /** The invariants this step would violate. */
  readonly breaks: readonly string[];
}

/** Every step enabled in `world`, each run once on a copy to name it. */
export function nextSteps(s: Scenario, profile: KernelProfile, world: World): NextStep[] {
  const { program } = s;
  return enabledTransitions(program, profile.policies, world).map((t) => {
    const r = applyTransition(program, profile.policies, world, t);
    const found = stepViolations(INVARIANTS, program, profile.policies, r) ?? [];
    return {
      transition: t,
      actorName: actorName(program, t.actor),
      op: r.label.op,
      fn: functionName(profile, r.label.fn),
      folios: r.label.folios,
      ret: r.label.ret,
      breaks: found.map((f) => f.violation.invariant),
    };
  });
}

/**
 * How the run stands after `world`: nothing when steps remain; a deadlock; or, in a final state, each
 * condition's value there (an `exists` condition true here is a run where it happens).
 */
export function outcomes(s: Scenario, profile: KernelProfile, world: World): Finding[] {
  if (enabledTransitions(s.program, profile.policies, world).length > 0) return [];
  if (!quiescent(s.program, world, profile.policies))
    return [{ name: 'deadlock', kind: 'deadlock', text: 'no step can run, and the run is not complete' }];
  return s.conditions.map((c) => ({
    name: c.name,
    kind: 'condition',
    text: `${c.quantifier} condition: ${evalProp(world, c.prop) ? 'true' : 'false'} in this final state`,
  }));
}

/** The token `pinlab replay` takes for `path` on `profile`: `scenario-id@kernel:steps`. */
export function tokenOf(s: Scenario, profile: KernelProfile, path: readonly Transition[]): string {
  return `${s.id}@${encodeToken(profile, path)}`;
}

/** A token read back: the scenario id, the profile and the path, or what is wrong with it. */
export type ReadToken =
  { readonly id: string; readonly profile: KernelProfile; readonly path: readonly Transition[] } | string;

export function readToken(token: string): ReadToken {
  // The last '@': a scenario id may hold one (an axis value), the checker's token never does.
  const at = token.lastIndexOf('@');
  if (at <= 0) return `'${token}' is not a replay token (scenario-id@kernel:steps)`;
  const d = decodeToken(token.slice(at + 1));
  if ('ok' in d) return `'${token}' is not a replay token (scenario-id@kernel:steps)`;
  const profile = kernelProfile(d.kernel, d.set);
  if (isProfileError(profile)) return `the token names no known kernel or policy ('${d.kernel}')`;
  return { id: token.slice(0, at), profile, path: d.transitions };
}

/** Where two kernels first part on the same path: the step, and how. */
export interface Difference {
  /** 1-based step (0: the initial states differ). */
  readonly step: number;
  readonly why: 'disabled' | 'other' | 'state';
  readonly text: string;
}

const sameWorld = (a: World, b: World): boolean => {
  const x = worldKey(a);
  const y = worldKey(b);
  return x.hi === y.hi && x.lo === y.lo;
};

type Step = Run['steps'][number];

/**
 * How two runs of the same step differ, in words, or null when they do the same. Functions compare by
 * identity: a function renamed between the two releases is no difference (sameFunction).
 */
function stepChange(sa: Step, sb: Step, a: KernelProfile, b: KernelProfile): string | null {
  const [ka, kb] = [a.name, b.name];
  const said = (f: (s: Step) => string, same?: boolean): string | null =>
    (same ?? f(sa) === f(sb)) ? null : `${f(sa)} on ${ka} and ${f(sb)} on ${kb}`;
  return (
    said(
      (s) => `runs ${s.actorName}'s ${s.fn}()`,
      sa.actorName === sb.actorName && sameFunction(sa.fn, a, sb.fn, b),
    ) ??
    said((s) => `returns ${s.ret ?? 'nothing'}`) ??
    said((s) => `calls ${s.calls.join(' > ') || 'nothing'}`, sameCalls(sa.calls, a, sb.calls, b)) ??
    said((s) => `violates ${s.violations.map((v) => v.invariant).join(', ') || 'nothing'}`)
  );
}

/**
 * The first step of `a`'s path where `b` differs: it is not enabled on `b`, it does something else
 * there (another kernel function, return value or violation), or it leaves another state (the
 * checker's state key). Null when the whole path runs the same.
 */
export function firstDifference(a: Walk, b: Walk): Difference | null {
  const [ka, kb] = [a.profile.name, b.profile.name];
  if (!sameWorld(a.worlds[0] as World, b.worlds[0] as World))
    return { step: 0, why: 'state', text: `the initial states differ on ${ka} and ${kb}` };
  for (let i = 0; i < a.path.length; i++) {
    const sa = a.run.steps[i];
    const sb = b.run.steps[i];
    if (!sa || !sb) return { step: i + 1, why: 'disabled', text: `step ${i + 1} is not enabled on ${kb}` };
    const change = stepChange(sa, sb, a.profile, b.profile);
    if (change !== null) return { step: i + 1, why: 'other', text: `step ${i + 1} ${change}` };
    if (!sameWorld(a.worlds[i + 1] as World, b.worlds[i + 1] as World))
      return { step: i + 1, why: 'state', text: `after step ${i + 1} the states differ on ${ka} and ${kb}` };
  }
  return null;
}
