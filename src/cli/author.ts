import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseScenarios } from '../scenario/index.js';
import { outputProblem } from './files.js';
import { loadScenarios } from './library.js';
import type { Io } from './run.js';

/**
 * Writing a first scenario: `pinlab new NAME` writes a skeleton with every section commented, and
 * `pinlab lint FILE` parses and validates one without running it.
 */

/** The skeleton `pinlab new` writes: a complete scenario that lint accepts, commented section by section. */
export function skeleton(name: string): string {
  return `# ${name}.pin: a pinlab scenario. Lines from \`#\` to the end are comments.
# Check it without running it: pinlab lint ${name}.pin; run it: pinlab check ${name}.pin

# The header: the scenario's name, then intent: and source: (both required). A line that starts
# with spaces continues the one above.
scenario ${name}
intent: What the scenario shows, in a sentence or two: which kernel behaviour, and what goes
  wrong (or stays right) on which releases.
source: Where the case comes from: a commit, a CVE, a mailing-list thread.

# The machine: files and devices (file f = "D"), pipes (pipe p), agents (agent device), and
# processes with their mappings (anon or file, private or shared, page=base|thp|hugetlb-2M).
process P
  map buf anon private

# setup: operations that run before the threads start, in order (one step each).
setup
  A: write buf "0"

# The threads: each runs its operations in order, in a process; pinlab explores every
# interleaving of their steps. \`read buf -> r\` loads a page into a register (T:r in the conditions);
# \`peek h -> r\` reads through a reference the thread holds (get/pin ... as h).
thread A in P
  write buf "A"
thread B in P
  write buf "B"

# The conditions on the final states, as herd7 writes them. exists (PROP) as NAME: does some
# interleaving end with PROP true? Write the bad outcome, so that never is safe. forall (PROP) as
# NAME: does every interleaving? Write the good outcome, so that always is safe. P:buf is the
# data the process sees in buf.
forall (P:buf == "A" or P:buf == "B") as one-wins
exists (P:buf == "0") as both-lost

# The verdict expected per release: never, sometimes or always, on all, on v5.8.., on v4.19..v5.4.
# An invariant (lost-dio-data, ...) may be given an expectation the same way; unlisted ones are
# expected never.
expect one-wins: always on all
expect both-lost: never on all
`;
}

/** `pinlab lint FILE...`: parse and validate each file; exit 0 when all are sound, 2 otherwise. */
export function lintCommand(args: readonly string[], io: Io): number {
  const option = args.find((a) => a.startsWith('-'));
  if (option !== undefined) {
    io.err(`pinlab lint: unknown option '${option.slice(0, 40)}' (lint takes FILE...)\n`);
    return 2;
  }
  if (args.length === 0) {
    io.err('pinlab lint: give the scenario files to check (pinlab lint FILE...)\n');
    return 2;
  }
  const loaded = loadScenarios(args);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  for (const w of loaded.warnings) io.err(`${w}\n`);
  const n = loaded.scenarios.length;
  io.out(`${args.join(' ')}: ${n} scenario${n === 1 ? '' : 's'}, no errors\n`);
  return 0;
}

/** `pinlab new NAME`: write NAME.pin, a skeleton lint accepts; never over an existing file. */
export function newCommand(args: readonly string[], io: Io): number {
  const fail = (m: string): number => {
    io.err(`pinlab new: ${m}\n`);
    return 2;
  };
  const option = args.find((a) => a.startsWith('-'));
  if (option !== undefined) return fail(`unknown option '${option.slice(0, 40)}' (new takes NAME)`);
  const [given, ...more] = args;
  if (given === undefined || more.length > 0 || given.startsWith('-'))
    return fail('give one scenario name (pinlab new NAME)');
  const file = given.endsWith('.pin') ? given : `${given}.pin`;
  const name = basename(file, '.pin');
  const text = skeleton(name);
  const parsed = parseScenarios(text, file);
  if (!parsed.ok)
    return fail(`'${name.slice(0, 40)}' is not a scenario name: ${parsed.errors[0]?.message ?? ''}`);
  const problem = outputProblem(file, []);
  if (problem !== null) return fail(problem);
  try {
    // 'wx': created here or not at all, so an existing file is never written over.
    writeFileSync(file, text, { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return fail(code === 'EEXIST' ? `will not write ${file}: it exists` : `cannot write ${file}: ${code}`);
  }
  io.out(`wrote ${file}: edit it, then pinlab lint ${file} and pinlab check ${file}\n`);
  return 0;
}
