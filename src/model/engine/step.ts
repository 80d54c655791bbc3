import { opStep, type Op } from '../ops/index.js';
import type { OpEnv, StepEnv, StepOutcome } from '../ops/types.js';
import type { Policies } from '../profile/policies/index.js';
import { draftWorld, ownActor, sealWorld, type Draft } from '../core/cow.js';
import { newCtx } from '../core/ctx.js';
import type { ModelEvent } from '../core/events.js';
import { agentChoiceCount, agentStep } from './agents.js';
import type { AgentKind, Program } from './program.js';
import { bug, type World } from '../core/world.js';

/** One choice the scheduler can make: which actor steps next (and, for agents, which of its choices). */
export interface Transition {
  readonly actor: number;
  readonly choice: number;
}

/** What a step did, as data for traces: who, which operation, which kernel function(s), which folios. */
export interface StepLabel {
  readonly actor: number;
  /** The actor's operation index (0 for a kernel agent). */
  readonly pc: number;
  /** The operation, or the kernel agent's kind for an agent step. */
  readonly op: Op['op'] | AgentKind;
  readonly fn: string;
  readonly calls: readonly string[];
  readonly folios: readonly number[];
  readonly ret: number | null;
}

export interface StepResult {
  readonly world: World;
  readonly label: StepLabel;
  readonly events: readonly ModelEvent[];
}

/** The mm an actor works in, or null while its process does not exist (before its fork) or after exit. */
function actorMm(program: Program, w: World, actor: number): number | null {
  const proc = program.actors[actor]?.process ?? bug('actorMm', `no actor ${actor}`);
  const mm = w.processes[proc] ?? null;
  return mm !== null && w.mms[mm]?.alive ? mm : null;
}

function currentOp(program: Program, w: World, actor: number): Op | null {
  const st = w.actors[actor];
  if (!st || st.done) return null;
  return program.actors[actor]?.ops[st.pc] ?? null;
}

function envFor<W extends World>(
  program: Program,
  policies: Policies,
  w: W,
  actor: number,
  mm: number,
  choice = 0,
): OpEnv & { readonly w: W } {
  return { ctx: newCtx(policies), w, program, actor, mm, choice };
}

/** The kernel agent a transition's actor index names, or null for a program actor. */
function agentOf(program: Program, actor: number): AgentKind | null {
  if (actor < program.actors.length) return null;
  return program.agents?.[actor - program.actors.length] ?? bug('agentOf', `no actor ${actor}`);
}

/**
 * How many ways scheduler actor `a` can step now (0: it cannot). Actors are the program's, then its
 * kernel agents (actor index program.actors.length + k for agent k). A program actor can when it has
 * an operation left, its process exists and its next step is not waiting: one way per choice of that
 * step (e.g. which folio a speculative lookup finds); an agent, one per choice it has (e.g. one per
 * in-flight bio for the device).
 */
function choiceCount(program: Program, policies: Policies, w: World, a: number): number {
  const agent = agentOf(program, a);
  if (agent !== null) return agentChoiceCount(agent, w, policies);
  const op = currentOp(program, w, a);
  const mm = actorMm(program, w, a);
  if (op === null || mm === null) return 0;
  const st = w.actors[a] ?? bug('choiceCount', `no actor ${a}`);
  const step = opStep(op, st.phase);
  const env = envFor(program, policies, w, a, mm);
  if (step.enabled && !step.enabled(env, op, st.locals)) return 0;
  return step.choices?.(env, op, st.locals) ?? 1;
}

/**
 * Why program actor `a` cannot step in `w`: `null` when it can (or has nothing left); else its
 * operation (pc from 0), the step it is at with that step's locals, and whether the step's own
 * condition is false (`waits`) or its process does not exist yet (`no-process`) or has exited.
 */
export function actorBlocked(
  program: Program,
  policies: Policies,
  w: World,
  a: number,
): {
  readonly pc: number;
  readonly step: string;
  readonly locals: Readonly<Record<string, unknown>>;
  readonly why: 'waits' | 'no-process' | 'exited';
} | null {
  const op = currentOp(program, w, a);
  if (op === null || a >= program.actors.length) return null;
  const st = w.actors[a] ?? bug('actorBlocked', `no actor ${a}`);
  const step = opStep(op, st.phase);
  const base = { pc: st.pc, step: step.name, locals: st.locals as Readonly<Record<string, unknown>> };
  const mm = actorMm(program, w, a);
  if (mm === null) {
    const proc = program.actors[a]?.process ?? bug('actorBlocked', `no actor ${a}`);
    return { ...base, why: (w.processes[proc] ?? null) === null ? 'no-process' : 'exited' };
  }
  return choiceCount(program, policies, w, a) === 0 ? { ...base, why: 'waits' } : null;
}

/** The transitions enabled in a World, actor by actor, choice by choice. */
export function enabledTransitions(program: Program, policies: Policies, w: World): Transition[] {
  const out: Transition[] = [];
  const actors = program.actors.length + (program.agents?.length ?? 0);
  for (let actor = 0; actor < actors; actor++) {
    const n = choiceCount(program, policies, w, actor);
    for (let choice = 0; choice < n; choice++) out.push({ actor, choice });
  }
  return out;
}

/**
 * Quiescence: no actor has anything left that could ever run, and no kernel agent has work (no bio in
 * flight, nothing for the flusher or the bio dirty work). Without `policies` the flusher's choices
 * ignore the wb.pinned what-if.
 */
export function quiescent(program: Program, w: World, policies: Policies | null = null): boolean {
  const actorsDone = w.actors.every(
    (_, actor) => currentOp(program, w, actor) === null || actorMm(program, w, actor) === null,
  );
  return actorsDone && (program.agents ?? []).every((kind) => agentChoiceCount(kind, w, policies) === 0);
}

function advance(w: Draft, program: Program, actor: number, outcome: StepOutcome): void {
  const st = ownActor(w, actor);
  if (!outcome.done) {
    st.phase += 1;
    return;
  }
  st.pc += 1;
  st.phase = 0;
  st.locals = {};
  if (st.pc >= (program.actors[actor]?.ops.length ?? 0)) st.done = true;
}

interface Stepped {
  readonly world: Draft;
  readonly outcome: StepOutcome;
  readonly env: StepEnv;
}

function stepOp(
  program: Program,
  policies: Policies,
  w: World,
  actor: number,
  op: Op,
  choice: number,
): Stepped {
  const draft = draftWorld(w);
  const mm = actorMm(program, draft, actor) ?? bug('stepOp', `actor ${actor} has no process`);
  const env = envFor(program, policies, draft, actor, mm, choice);
  const st = draft.actors[actor] ?? bug('stepOp', `no actor ${actor}`);
  return { world: draft, outcome: opStep(op, st.phase).run(env, op, st.locals), env };
}

/** Run one choice of a kernel agent on a copy of the World. */
function applyAgent(policies: Policies, w: World, t: Transition, kind: AgentKind): StepResult {
  const draft = draftWorld(w);
  const ctx = newCtx(policies);
  const r = agentStep(kind, ctx, draft, t.choice);
  const label: StepLabel = {
    actor: t.actor,
    pc: 0,
    op: kind,
    fn: r.fn,
    calls: ctx.calls,
    folios: r.folios,
    ret: null,
  };
  return { world: sealWorld(draft), label, events: ctx.events };
}

/** Run one transition. The World that comes in is sealed, not changed: the step works on a draft (cow.ts). */
export function applyTransition(program: Program, policies: Policies, w: World, t: Transition): StepResult {
  const agent = agentOf(program, t.actor);
  if (agent !== null) return applyAgent(policies, w, t, agent);
  const op = currentOp(program, w, t.actor) ?? bug('applyTransition', `actor ${t.actor} has nothing to run`);
  const pc = w.actors[t.actor]?.pc ?? 0;
  const { world, outcome, env } = stepOp(program, policies, w, t.actor, op, t.choice);
  advance(world, program, t.actor, outcome);
  const label: StepLabel = {
    actor: t.actor,
    pc,
    op: op.op,
    fn: outcome.fn,
    calls: env.ctx.calls,
    folios: outcome.folios,
    ret: outcome.ret,
  };
  return { world: sealWorld(world), label, events: env.ctx.events };
}

/** Run a setup operation to completion as `actor`, outside its own operation list. */
export function applySetupOp(program: Program, policies: Policies, w: World, actor: number, op: Op): World {
  const { world, outcome } = stepOp(program, policies, w, actor, op, 0);
  if (!outcome.done) bug('applySetupOp', `setup operation ${op.op} needs more than one step`);
  return world;
}
