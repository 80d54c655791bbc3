/**
 * `pinlab export-c`: a scenario as a C program that runs its operations on the running kernel many
 * times and prints, in KTAP, how many runs saw each condition. Pure string generation.
 */
export { cProgram, type ProgramOptions } from './c-program.js';
export { refusals, opRefusal, kernelActorNeeds, type Refusal } from './refuse.js';
export { kernelActorNeed } from './kernel-actor.js';
export { gatesOf, schedules, type Gate, type SourcedTrace, type StepOrder } from './schedule.js';
export { parseKtap, type KtapResult, type KtapLine } from './ktap.js';
export { compareVerdict, type Comparison, type Outcome } from './compare.js';
