import { bisectCommand, preventCommand } from './bisect.js';
import { checkCommand, diffCommand, explainCommand } from './check.js';
import { exportCCommand } from './export-c.js';
import { realCommand } from './real.js';
import { labCommand } from './lab.js';
import { listCommand } from './list.js';
import { replayCommand } from './replay.js';
import { selftestCommand } from './selftest.js';
import { COW } from '../selftests/cow/index.js';
import { GUP_LONGTERM } from '../selftests/gup_longterm/index.js';
import { viewCommand } from './view.js';
import { lintCommand, newCommand } from './author.js';
import { ModelError } from '../suite/run.js';

/** Where a command writes; injected so tests can capture output. */
export interface Io {
  readonly version: string;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** stderr is a terminal (progress is a live line there, plain lines elsewhere). */
  readonly tty?: boolean;
  /** stderr's width in columns when it is a terminal (a live progress line is cut to it). */
  readonly columns?: number | undefined;
  /** The clock in milliseconds (default performance.now); tests inject one. */
  readonly now?: () => number;
  /** Word 0 becomes 1 on Ctrl-C (runtime/interruptible.ts); a search then stops, its figures printed. */
  readonly interrupt?: Int32Array;
}

export const USAGE = `pinlab: a kernel-version-aware model of GUP references and pins, and a checker

usage:
  pinlab check [FILES...] [--kernel LIST|all] [--set policy=value]...
               [--format text|json|ktap|junit|itf] [--max-states N] [--max-memory SIZE]
               [--timeout S] [--no-por] [--jobs N | --threads N] [--progress=auto|lines|json]
               [--progress-every N] [--quiet] [--no-timings] [--wide] [--states]
                              verdicts per scenario, condition and kernel (no FILES: the built-in
                              library); --jobs: (scenario, kernel) pairs on N threads; --threads:
                              each search on N threads (without partial-order reduction); progress
                              on stderr after a second (a live line on a terminal, a line every 5 s
                              elsewhere); --no-timings: no wall times in JSON and JUnit
                              (byte-identical runs); --max-memory (as 512M, 4G; default half the
                              machine's): past it a search ends inconclusive (bound: memory);
                              Ctrl-C: the statistics and the verdicts known so far, exit 130
  pinlab diff --kernel A --kernel B [FILES...] [--format text|json]   only the verdicts that differ
  pinlab explain [FILES...] --kernel A[,B] [--condition NAME] [--axis K=V]... [--format text|json]
                 [--out TRACE.json]
                              the shortest trace of the first bad outcome on A (no FILES: the first
                              in the built-in library); with B, the same interleaving replayed on B
                              beside it, the first differing step marked
  pinlab bisect FILE --good K --bad K [--condition NAME] [--format text|json]
                              the policy changes (release, commit) that flip each differing verdict
  pinlab prevent FILE --kernel K [--condition NAME] [--max-size N] [--format text|json]
                              the smallest what-if sets that make every bad outcome never (default
                              at most 2 values), and what each does to the rest of the library
  pinlab replay TOKEN [FILES...] [--format text|json]   re-run one interleaving step by step
  pinlab view TRACE.json [--html [-o OUT.html]]
                              the trace viewer: served on 127.0.0.1, or one HTML file
  pinlab cow [--kernel LIST] [--format ktap|text|json] [--thp-sizes KIB,...]
             [--hugetlb-sizes KIB,...] [--hugetlb-pages KIB:N,...] [--no-swap]
             [--no-huge-zeropage] [--no-gup-test] [--gup-test-stand-in] [--selftests vX.Y]
                              the kernel's mm/cow selftest, reproduced on the model of each release
                              (its result strings are the release's own, or those of --selftests);
                              --hugetlb-pages: free pages of a size once asked for (default:
                              enough); --gup-test-stand-in: the lab's module answers gup_test on
                              any release
  pinlab gup-longterm [--kernel LIST] [--format ktap|text|json] [--hugetlb-sizes KIB,...]
                      [--hugetlb-pages KIB:N,...] [--no-gup-test] [--gup-test-stand-in]
                              the kernel's mm/gup_longterm selftest, likewise
  pinlab export-c FILE [-o prog.c] [--runs N] [--kernel K]
                              the scenario as a C program that runs it on the real kernel (KTAP
                              output)
  pinlab real [FILES...] [--runs N]
                              export, compile with cc, run here, compare with the closest
                              release's verdicts
  pinlab lab [FILES...] [--kernels 5.10,6.1,6.12,7.2,host|all] [--runs N] [--cow] [--gup-longterm]
             [--format text|json|ktap] [--cache DIR] [--record DIR] [--save-selftests DIR]
                              boot Debian's kernels in QEMU with the exported programs (and the
                              kernel's selftests) and compare with each kernel's profile (default
                              6.1,6.12)
  pinlab lint FILE...         parse and validate scenarios without running them (exit 0, or 2)
  pinlab new NAME             write NAME.pin, a commented scenario skeleton (never over a file)
  pinlab list [--format text|json]
                              the built-in scenarios, the kernel profiles and every policy with its
                              history
  pinlab --version
  pinlab --help

exit status: 0 ok, 1 an expectation failed, 2 a usage or scenario error, 3 the model could not
             run a scenario on a profile (the scenario, the profile and why), 130 interrupted
             (Ctrl-C)
`;

/** The USAGE lines of one command, or null for a command it does not list. */
export function commandUsage(cmd: string): string | null {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  pinlab ${cmd} `) || l === `  pinlab ${cmd}`);
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && /^ {3,}\S/.test(lines[end] ?? '')) end += 1;
  return `usage:\n${lines.slice(start, end).join('\n')}\n`;
}

/**
 * Parse the command line and run one command; returns the exit status. What the model could not
 * complete (a ModelError, located) or anything else that throws is one line on stderr and exit 3.
 */
export function run(argv: readonly string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (e) {
    const what = e instanceof ModelError ? 'model error' : 'internal error';
    const message = e instanceof Error ? e.message : String(e);
    io.err(`pinlab ${argv[0] ?? ''}: ${what}: ${message.split('\n')[0] ?? ''}\n`);
    return 3;
  }
}

function dispatch(argv: readonly string[], io: Io): number {
  const [cmd, ...rest] = argv;
  const usage = cmd === undefined ? null : commandUsage(cmd);
  if (usage !== null && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(usage);
    return 0;
  }
  switch (cmd) {
    case '--version':
    case '-V':
      io.out(`${io.version}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
    case undefined:
      // No command is a usage error, as with a missing operand: the usage on stderr, exit 2.
      io.err(USAGE);
      return 2;
    case 'list':
      return listCommand(rest, io);
    case 'check':
      return checkCommand(rest, io);
    case 'diff':
      return diffCommand(rest, io);
    case 'explain':
      return explainCommand(rest, io);
    case 'bisect':
      return bisectCommand(rest, io);
    case 'prevent':
      return preventCommand(rest, io);
    case 'replay':
      return replayCommand(rest, io);
    case 'export-c':
      return exportCCommand(rest, io);
    case 'real':
      return realCommand(rest, io);
    case 'lab':
      return labCommand(rest, io);
    case 'cow':
      return selftestCommand(COW, rest, io);
    case 'gup-longterm':
      return selftestCommand(GUP_LONGTERM, rest, io);
    case 'view':
      return viewCommand(rest, io);
    case 'lint':
      return lintCommand(rest, io);
    case 'new':
      return newCommand(rest, io);
    default:
      io.err(`pinlab: unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}
