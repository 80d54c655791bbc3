import { actorBlocked } from '../model/engine/step.js';
import type { Program } from '../model/engine/program.js';
import type { Policies } from '../model/profile/policies/index.js';
import type { World } from '../model/core/world.js';

/**
 * What a deadlock is made of: in a state where no step can run and some thread has operations left,
 * which thread waits, at which operation and step, and on what (the step's own locals: the DIO or bio
 * it waits to complete), or that its process does not exist (a fork that never ran) or has exited.
 */
export interface DeadlockWait {
  readonly thread: string;
  readonly process: string;
  /** The operation's line in the thread, from 1, its kind, and the step of it the thread is at. */
  readonly line: number;
  readonly op: string;
  readonly step: string;
  /** The step's locals, as `dio 0, bio 1` (empty when it has none). */
  readonly on: string;
  readonly why: 'waits' | 'no-process' | 'exited';
}

/** The threads of `w` that cannot step, in actor order (none when every thread is done). */
export function deadlockWaits(program: Program, policies: Policies, w: World): DeadlockWait[] {
  return program.actors.flatMap((actor, a) => {
    const b = actorBlocked(program, policies, w, a);
    if (b === null) return [];
    const op = actor.ops[b.pc];
    const on = Object.entries(b.locals)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
    const process = program.processes[actor.process]?.name ?? `#${actor.process}`;
    return [{ thread: actor.name, process, line: b.pc + 1, op: op?.op ?? '?', step: b.step, on, why: b.why }];
  });
}

/** `thread A waits at operation 2 (dio), step wait (dio 0)`. */
export function waitText(w: DeadlockWait): string {
  const at = `at operation ${w.line} (${w.op})`;
  if (w.why === 'no-process')
    return `thread ${w.thread} waits ${at}: its process ${w.process} does not exist`;
  if (w.why === 'exited') return `thread ${w.thread} waits ${at}: its process ${w.process} has exited`;
  return `thread ${w.thread} waits ${at}, step ${w.step}${w.on === '' ? '' : ` (${w.on})`}`;
}
