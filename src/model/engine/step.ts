import { opDef, type Op } from '../ops/index.js';
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
 * The transitions enabled in a World: every actor that has an operation left, whose process exists,
 * and whose next step is not waiting (one per choice of that step, e.g. which folio a speculative
 * lookup finds); then every choice of every kernel agent (actor index program.actors.length + k for
 * agent k), e.g. one per in-flight bio for the device.
 */
export function enabledTransitions(program: Program, policies: Policies, w: World): Transition[] {
  const out: Transition[] = [];
  for (let actor = 0; actor < w.actors.length; actor++) {
    const op = currentOp(program, w, actor);
    const mm = actorMm(program, w, actor);
    if (op === null || mm === null) continue;
    const def = opDef(op);
    const env = envFor(program, policies, w, actor, mm);
    if (!def.enabled(env, op)) continue;
    const n = def.choices?.(env, op) ?? 1;
    for (let choice = 0; choice < n; choice++) out.push({ actor, choice });
  }
  (program.agents ?? []).forEach((kind, k) => {
    const n = agentChoiceCount(kind, w, policies);
    for (let choice = 0; choice < n; choice++) out.push({ actor: program.actors.length + k, choice });
  });
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
  return { world: draft, outcome: opDef(op).step(env, op), env };
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
