import { listCommand } from './list.js';

/** Where a command writes; injected so tests can capture output. */
export interface Io {
  readonly version: string;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

export const USAGE = `pinlab: a kernel-version-aware model of GUP references and pins, and a checker

usage:
  pinlab list                 the kernel profiles and every policy with its history
  pinlab --version
  pinlab --help

exit status: 0 ok, 1 an expectation failed, 2 a usage or scenario error
`;

/** Parse the command line and run one command; returns the exit status. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version':
    case '-V':
      io.out(`${io.version}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
    case 'list':
      return listCommand(rest, io);
    default:
      io.err(`pinlab: unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}
