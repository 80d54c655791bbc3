import type { Verdict } from '../check/condition.js';

/**
 * The model's verdict for the running kernel's profile against what the real runs saw. The verdicts
 * speak of every interleaving, so both ends are hard: a condition the model says `never` holds must not
 * hold in any real run, and one it says `always` holds must hold in every real run (else the kernel
 * reached a final state the model says is impossible: a contradiction, whether the scenario races or
 * not). A `sometimes` the runs never hit is a note: the race may be too rare for the runs.
 */
export type Outcome = 'agree' | 'contradiction' | 'note' | 'skip';

export interface Comparison {
  readonly outcome: Outcome;
  readonly why: string;
}

export function compareVerdict(model: Verdict | 'unavailable', seen: number, runs: number): Comparison {
  switch (model) {
    case 'unavailable':
      return { outcome: 'skip', why: "the kernel's profile cannot run the scenario" };
    case 'inconclusive':
      return { outcome: 'note', why: 'the model did not finish its search (a bound stopped it)' };
    case 'never':
      return seen === 0
        ? { outcome: 'agree', why: '' }
        : {
            outcome: 'contradiction',
            why: `the model says no interleaving ends with it; ${seen}/${runs} runs did`,
          };
    case 'always':
      return seen === runs
        ? { outcome: 'agree', why: '' }
        : {
            outcome: 'contradiction',
            why: `the model says every interleaving ends with it; ${runs - seen}/${runs} runs did not`,
          };
    case 'sometimes':
      return seen > 0
        ? { outcome: 'agree', why: '' }
        : { outcome: 'note', why: `not seen in ${runs} runs: the race may be too rare for them` };
  }
}
