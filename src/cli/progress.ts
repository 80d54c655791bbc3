import type { Progress } from '../check/index.js';
import { positiveInt, type Parsed } from './args.js';
import type { Io } from './run.js';
import type { Row } from '../suite/run.js';

/**
 * The progress of a long check on stderr. The search only calls back every few stored states; this
 * meter owns the clock and decides when a line is worth printing: a live line redrawn in place on a
 * terminal, a plain line every few seconds elsewhere (CI kills jobs that stay silent), or JSON lines.
 * Nothing shows in the first second, so short runs stay quiet.
 */

export type ProgressMode = 'live' | 'lines' | 'json' | 'off';

export const PROGRESS_MODES = ['auto', 'lines', 'json'] as const;

export interface MeterOptions {
  readonly mode: ProgressMode;
  readonly now: () => number;
  readonly write: (s: string) => void;
  /** Milliseconds between lines (a live line's redraw), and before the first. */
  readonly intervalMs: number;
  /** Print at every callback whatever the clock says (`--progress-every N`: deterministic lines). */
  readonly everyCallback: boolean;
  /**
   * A terminal's width: a live line is cut to one column less, since a longer one wraps and the
   * redraw in place (\r) would leave its first part behind, line after line.
   */
  readonly columns?: number | undefined;
}

/** How often the search calls back by default: a clock read every 1024 states costs nothing. */
export const CALLBACK_EVERY = 1024;

/** The intervals by mode: a terminal redraws often, a log gets a line every five seconds. */
export function defaultInterval(mode: ProgressMode): number {
  return mode === 'live' ? 250 : 5000;
}

const n = (x: number): string => x.toLocaleString('en-US');

export class ProgressMeter {
  private readonly start: number;
  private searchStart: number;
  private lastLine: number;
  private label = '';
  private kernel = '';
  private scenario = '';
  private drawn = false;

  constructor(private readonly opts: MeterOptions) {
    this.start = opts.now();
    this.searchStart = this.start;
    // The first line waits an interval, but no more than a second.
    this.lastLine = this.start - opts.intervalMs + Math.min(opts.intervalMs, 1000);
  }

  /** A search starts: `label` says where it is in the run (`[3/40]`). */
  begin(label: string, scenario: string, kernel: string): void {
    this.label = label;
    this.scenario = scenario;
    this.kernel = kernel;
    this.searchStart = this.opts.now();
  }

  /**
   * The search's callback: a line when one is due. `searchSeconds`: how long the search has run, when
   * its own thread measured it (a `--jobs` worker); else since begin().
   */
  update(p: Progress, searchSeconds?: number): void {
    if (this.opts.mode === 'off') return;
    const at = this.opts.now();
    if (!this.opts.everyCallback && at - this.lastLine < this.opts.intervalMs) return;
    this.lastLine = at;
    const seconds = searchSeconds ?? (at - this.searchStart) / 1000;
    const rate = seconds > 0 ? Math.round(p.states / seconds) : 0;
    const elapsed = (at - this.start) / 1000;
    this.opts.write(this.line(p, rate, elapsed));
  }

  /** The run is over: a live line is cleared away from the report. */
  end(): void {
    if (this.drawn) this.opts.write('\r\x1b[K');
    this.drawn = false;
  }

  private line(p: Progress, rate: number, elapsed: number): string {
    if (this.opts.mode === 'json')
      return `${JSON.stringify({
        progress: 1,
        scenario: this.scenario,
        kernel: this.kernel,
        states: p.states,
        transitions: p.transitions,
        statesPerSecond: rate,
        depth: p.maxDepth,
        tableBytes: p.tableBytes,
        ...(p.phase ? { phase: p.phase } : {}),
        elapsedSeconds: Number(elapsed.toFixed(1)),
      })}\n`;
    const mib = (p.tableBytes / 2 ** 20).toFixed(0);
    const text =
      `${this.label} ${this.scenario} on ${this.kernel}: ${p.phase === 'traces' ? 'shortest traces: ' : ''}` +
      `${n(p.states)} states, ${n(p.transitions)} transitions, ` +
      `${n(rate)} states/s, depth ${p.maxDepth}, table ${mib} MiB, ${elapsed.toFixed(1)} s`;
    if (this.opts.mode === 'lines') return `pinlab: ${text}\n`;
    this.drawn = true;
    const width = this.opts.columns ?? 0;
    return `\r${width > 1 ? text.slice(0, width - 1) : text}\x1b[K`;
  }
}

/** What the command line asked of progress: a mode, and `--progress-every N` states. */
export interface ProgressChoice {
  readonly mode: ProgressMode;
  readonly every: number | undefined;
}

/** `--progress=auto|lines|json`, `--progress-every N`, `--quiet`; a message for a bad value. */
export function progressChoice(p: Parsed, io: Pick<Io, 'tty'>): ProgressChoice | string {
  const asked = p.values.get('progress')?.at(-1) ?? 'auto';
  if (!(PROGRESS_MODES as readonly string[]).includes(asked))
    return `unknown progress '${asked}' (known: ${PROGRESS_MODES.join(' ')})`;
  const every = positiveInt('progress-every', p.values.get('progress-every')?.at(-1));
  if (typeof every === 'string') return every;
  if (p.flags.has('quiet')) return { mode: 'off', every };
  const mode = asked === 'json' ? 'json' : asked === 'lines' || !io.tty ? 'lines' : 'live';
  return { mode, every };
}

/** The meter a run writes its progress with, on stderr. */
export function progressMeter(choice: ProgressChoice, io: Io): ProgressMeter {
  return new ProgressMeter({
    mode: choice.mode,
    now: io.now ?? (() => performance.now()),
    write: io.err,
    intervalMs: defaultInterval(choice.mode),
    everyCallback: choice.every !== undefined,
    columns: io.columns,
  });
}

/** What stopped a search, in words. */
function stoppedBy(bound: string, maxMemory: number): string {
  if (bound === 'interrupt') return 'was interrupted (Ctrl-C)';
  if (bound === 'memory') return `met its memory bound (--max-memory ${n(maxMemory)} bytes)`;
  return `met its ${bound} bound`;
}

/**
 * The statistics of each search a bound (or Ctrl-C) stopped or truncated, one line each (JSON under
 * `--progress=json`): the report's verdicts for it are the ones known so far (`inconclusive` where the
 * search could not finish).
 */
export function boundStatistics(rows: readonly Row[], mode: ProgressMode, maxMemory: number): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of rows) {
    const key = `${r.scenario}\t${r.kernel}`;
    if (r.bound === null || seen.has(key)) continue;
    seen.add(key);
    const { scenario, kernel, bound, states, transitions, depth, tableBytes, ms } = r;
    lines.push(
      mode === 'json'
        ? `${JSON.stringify({ partial: 1, scenario, kernel, bound, states, transitions, depth, tableBytes, seconds: ms / 1000 })}\n`
        : `pinlab: partial: ${scenario} on ${kernel}: the search ${stoppedBy(bound, maxMemory)} after ` +
            `${n(states)} states, ${n(transitions)} transitions, depth ${depth}, ` +
            `table ${n(tableBytes)} bytes, ${(ms / 1000).toFixed(1)} s\n`,
    );
  }
  return lines.join('');
}
