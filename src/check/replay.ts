import { POLICY_NAMES } from '../model/profile/policies/index.js';
import {
  isProfileError,
  kernelProfile,
  type KernelProfile,
  type ProfileError,
} from '../model/profile/profiles.js';
import { instantiate } from '../model/engine/instantiate.js';
import type { Program } from '../model/engine/program.js';
import { enabledTransitions, quiescent, type Transition } from '../model/engine/step.js';
import type { World } from '../model/core/world.js';
import { INVARIANTS, type Invariant } from '../model/invariants/index.js';
import { runSteps, type TraceStep } from './trace.js';

/**
 * Replay tokens: `KERNEL[policy=value,...]:STEPS`. KERNEL is a release or variant name; the bracket
 * lists the policies that differ from that kernel's own values, sorted by name (absent when none);
 * STEPS is the interleaving, one entry per step separated by `.`, each the actor index followed by
 * `c` and the choice when the choice is not 0. Example: `v6.4:0.1.1.0`, `v6.1[gup.pinZeroPage=counted]:0.2c1.1`.
 */

export interface DecodedToken {
  readonly kernel: string;
  readonly set: Readonly<Record<string, string>>;
  readonly transitions: readonly Transition[];
}

export type ReplayError =
  | { readonly ok: false; readonly code: 'bad-token'; readonly token: string }
  | {
      readonly ok: false;
      readonly code: 'bad-profile';
      readonly token: string;
      readonly profile: ProfileError;
    }
  /** Step `at` (0-based) names a transition that is not enabled there. */
  | { readonly ok: false; readonly code: 'not-enabled'; readonly token: string; readonly at: number };

export interface ReplayResult {
  readonly ok: true;
  readonly profile: KernelProfile;
  readonly transitions: readonly Transition[];
  readonly steps: readonly TraceStep[];
  readonly world: World;
  readonly quiescent: boolean;
  readonly deadlock: boolean;
}

function baseName(profile: KernelProfile): string {
  const i = profile.name.indexOf('[');
  return i < 0 ? profile.name : profile.name.slice(0, i);
}

/** The policies of `profile` that differ from its base kernel's, sorted by name. */
export function profileOverrides(profile: KernelProfile): [string, string][] {
  const base = kernelProfile(baseName(profile));
  if (isProfileError(base)) return [];
  const mine = profile.policies as unknown as Readonly<Record<string, string>>;
  const theirs = base.policies as unknown as Readonly<Record<string, string>>;
  return [...POLICY_NAMES]
    .sort()
    .filter((n) => mine[n] !== theirs[n])
    .map((n) => [n, mine[n] ?? '']);
}

export function encodeToken(profile: KernelProfile, transitions: readonly Transition[]): string {
  const over = profileOverrides(profile);
  const head =
    over.length === 0
      ? baseName(profile)
      : `${baseName(profile)}[${over.map(([k, v]) => `${k}=${v}`).join(',')}]`;
  const steps = transitions.map((t) => (t.choice === 0 ? `${t.actor}` : `${t.actor}c${t.choice}`)).join('.');
  return `${head}:${steps}`;
}

const TOKEN = /^([^[\]:,=]+)(?:\[([^\]]*)\])?:((?:\d+(?:c\d+)?)(?:\.\d+(?:c\d+)?)*)?$/;

export function decodeToken(token: string): DecodedToken | ReplayError {
  const m = TOKEN.exec(token.trim());
  const bad: ReplayError = { ok: false, code: 'bad-token', token };
  if (!m) return bad;
  const set: Record<string, string> = {};
  if (m[2] !== undefined && m[2] !== '') {
    for (const kv of m[2].split(',')) {
      const eq = kv.indexOf('=');
      if (eq <= 0 || eq === kv.length - 1) return bad;
      set[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  }
  const transitions: Transition[] = [];
  for (const part of m[3] ? m[3].split('.') : []) {
    const [a, c] = part.split('c');
    const actor = Number(a);
    const choice = c === undefined ? 0 : Number(c);
    if (!Number.isSafeInteger(actor) || !Number.isSafeInteger(choice)) return bad;
    transitions.push({ actor, choice });
  }
  return { kernel: m[1] as string, set, transitions };
}

function isReplayError(x: DecodedToken | ReplayError): x is ReplayError {
  return 'ok' in x;
}

/** Turn a token back into its run of `program`: the steps, and the World it ends in. Errors are data. */
export function replay(
  program: Program,
  token: string,
  invariants: readonly Invariant[] = INVARIANTS,
): ReplayResult | ReplayError {
  const d = decodeToken(token);
  if (isReplayError(d)) return d;
  const profile = kernelProfile(d.kernel, d.set);
  if (isProfileError(profile)) return { ok: false, code: 'bad-profile', token, profile };
  const initial = instantiate(program, profile.policies);
  const run = runSteps(program, profile, initial, d.transitions, invariants);
  if (run.notEnabledAt !== null) return { ok: false, code: 'not-enabled', token, at: run.notEnabledAt };
  const terminal = enabledTransitions(program, profile.policies, run.world).length === 0;
  const q = quiescent(program, run.world, profile.policies);
  return {
    ok: true,
    profile,
    transitions: d.transitions,
    steps: run.steps,
    world: run.world,
    quiescent: q,
    deadlock: terminal && !q,
  };
}
