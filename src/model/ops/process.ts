import { dupMm } from '../kernel/fork.js';
import { exitMmap } from '../mm/mmap.js';
import { finished, type OpDef } from './types.js';
import { ownActor, ownArray } from '../core/cow.js';
import { mmOf } from '../core/world.js';

/** fork(): `fork C` creates process C (declared in the program) as a copy of this one. */
export interface ForkOp {
  readonly op: 'fork';
  readonly child: number;
}

/** exit(): the process's mappings go away; its other actors stop. */
export interface ExitOp {
  readonly op: 'exit';
}

/** wait(): `wait C` blocks until forked process C has exited (the test's wait(2) for its child). */
export interface WaitOp {
  readonly op: 'wait';
  readonly child: number;
}

export const forkOp: OpDef<ForkOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'fork',
      run(env, op) {
        const child = dupMm(env.ctx, env.w, env.mm);
        ownArray(env.w, 'processes')[op.child] = child;
        const touched = mmOf(env.w, env.mm).vmas.flatMap((v) =>
          v.pte.kind === 'present' ? [v.pte.folio] : [],
        );
        return finished('dup_mmap', touched, 0);
      },
    },
  ],
};

export const exitOp: OpDef<ExitOp> = {
  footprint: 'actor',
  unavailable: () => null,
  steps: [
    {
      name: 'exit',
      run(env) {
        const touched = mmOf(env.w, env.mm).vmas.flatMap((v) =>
          v.pte.kind === 'present' ? [v.pte.folio] : [],
        );
        exitMmap(env.ctx, env.w, env.mm);
        const proc = env.program.actors[env.actor]?.process;
        env.program.actors.forEach((a, i) => {
          if (a.process === proc) ownActor(env.w, i).done = true;
        });
        return finished('exit_mmap', touched, 0);
      },
    },
  ],
};

export const waitOp: OpDef<WaitOp> = {
  footprint: 'any',
  unavailable: () => null,
  steps: [
    {
      name: 'wait',
      enabled: (env, op) => {
        const mm = env.w.processes[op.child];
        return mm !== null && mm !== undefined && !mmOf(env.w, mm).alive;
      },
      run: () => finished('kernel_wait4', [], 0),
    },
  ],
};
