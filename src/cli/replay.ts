import { replay } from '../check/index.js';
import { textTrace } from '../report/text.js';
import { displayName, libraryFiles, loadScenarios } from './library.js';
import type { Io } from './run.js';
import { isArgsError, parseArgs, textOrJson } from './args.js';
import { jsonDocument } from '../report/document.js';
import { fileStep } from '../report/trace-file.js';

/**
 * `pinlab replay TOKEN [FILES...] [--format text|json]`: TOKEN is `scenario-id@checker-token` as
 * `check` prints it; the scenario is looked up in FILES, or in the built-in library. JSON: the steps
 * as explain's trace gives them (the trace file's steps).
 */
export function replayCommand(args: readonly string[], io: Io): number {
  // replay takes --format only: `--kernel` or `-k` is a usage error, not a file name.
  const p = parseArgs(args, { format: 'value' });
  const fail = (m: string): number => {
    const usage = ' (replay takes TOKEN [FILES...] [--format text|json])';
    io.err(`pinlab replay: ${m.replace(/ \(known: --format\)$/, usage)}\n`);
    return 2;
  };
  if (isArgsError(p)) return fail(p.error);
  const format = textOrJson(p);
  if (isArgsError(format)) return fail(format.error);
  const [token, ...files] = p.positionals;
  // The last '@': a scenario id may hold one (an axis value), the checker's token never does.
  const at = token?.lastIndexOf('@') ?? -1;
  if (token === undefined || at <= 0) {
    io.err("pinlab replay: give the token 'check' printed (scenario-id@kernel:steps)\n");
    return 2;
  }
  const id = token.slice(0, at);
  const loaded = loadScenarios(files.length > 0 ? files : libraryFiles(), displayName);
  if (!loaded.ok) {
    io.err(`${loaded.messages.join('\n')}\n`);
    return 2;
  }
  const s = loaded.scenarios.find((x) => x.scenario.id === id);
  if (!s) {
    const where = files.length > 0 ? files.join(', ') : 'the built-in library';
    io.err(`pinlab replay: no scenario '${id}' in ${where} (give its file after the token)\n`);
    return 2;
  }
  const r = replay(s.scenario.program, token.slice(at + 1));
  if (!r.ok) {
    // Where the scenario is, so a token pasted with the wrong file says which it read.
    io.err(`pinlab replay: ${s.where.file}: bad token '${token}' (${r.code})\n`);
    return 2;
  }
  const end = r.quiescent ? 'quiescent' : r.deadlock ? 'deadlock' : 'running';
  if (format === 'json') {
    const steps = r.steps.map(fileStep);
    const replayed = { scenario: id, file: s.where.file, kernel: r.profile.name, token, end, steps };
    io.out(jsonDocument('replay', { replay: replayed }));
    return 0;
  }
  io.out(`${id} on ${r.profile.name}\n`);
  // The command printed under the trace names the file read, as check's does, so it replays when pasted.
  io.out(textTrace({ token, end, steps: r.steps }, files.length > 0 ? s.where.file : undefined));
  return 0;
}
