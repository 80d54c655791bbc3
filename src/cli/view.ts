import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeToken, replay, unavailableOps } from '../check/index.js';
import { isProfileError, kernelProfile, type KernelProfile } from '../model/profile/profiles.js';
import { explorerPage, viewerCsp, viewerPage, type ViewerAssets } from '../report/html.js';
import { parseTraceFile, type TraceFile } from '../report/trace-file.js';
import { formatError, parseScenarios, type ParsedScenario } from '../scenario/index.js';
import { isArgsError, parseArgs, type Parsed } from './args.js';
import { MAX_SCENARIO_BYTES, MAX_TRACE_BYTES, outputProblem, readBounded, writeOutput } from './files.js';
import { resolveKernels } from './kernels.js';
import type { Io } from './run.js';

/** The built viewer (vite build of viewer/), beside the compiled CLI in the package. */
const VIEWER_DIR = new URL('../../dist/viewer/', import.meta.url);

const errorText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

export function loadViewerAssets(): ViewerAssets | string {
  try {
    return {
      script: readFileSync(new URL('viewer.js', VIEWER_DIR), 'utf8'),
      style: readFileSync(new URL('viewer.css', VIEWER_DIR), 'utf8'),
    };
  } catch (e) {
    return `the viewer is not built (${errorText(e)}); run 'npm run build'`;
  }
}

/** Read and check a trace file; the user's mistake as a message. */
export function readTraceFile(path: string): TraceFile | string {
  const read = readBounded(path, MAX_TRACE_BYTES);
  if ('error' in read) return `${path}: ${read.error}`;
  const parsed = parseTraceFile(read.text);
  if (!parsed.ok) return `${path}: ${parsed.error}`;
  if (!parsed.file.results.some((r) => r.trace !== null))
    return `${path} has no run to show: no result has a trace (every verdict is never)`;
  return parsed.file;
}

export interface Served {
  readonly url: string;
  readonly close: () => Promise<void>;
}

/**
 * Serve one page on 127.0.0.1 at a free port. Only GET / answers; a request naming another host
 * (DNS rebinding), or more than one, is refused.
 */
export function serveViewer(page: string, csp: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    let origin = '';
    const server: Server = createServer((req, res) => {
      const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
      const text = (status: number, body: string): void => {
        res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
      };
      // Node keeps the first of several Host headers; a proxy may take another: refuse them all.
      const hosts = req.headersDistinct.host ?? [];
      if (hosts.length !== 1) return text(400, 'one Host header, please\n');
      if (`http://${hosts[0] ?? ''}` !== origin) return text(421, 'wrong host\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed\n');
      if (req.url !== '/' && req.url !== '/index.html') return text(404, 'not found\n');
      res
        .writeHead(200, {
          ...headers,
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `${csp}; frame-ancestors 'none'`,
          'Referrer-Policy': 'no-referrer',
        })
        .end(req.method === 'HEAD' ? undefined : page);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        url: `${origin}/`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

const SPEC = {
  html: 'flag',
  out: 'value',
  explore: 'flag',
  kernel: 'value',
  'kernel-b': 'value',
  axis: 'value',
  replay: 'value',
} as const;

/** Options only the explorer takes. */
const EXPLORE_ONLY = ['kernel', 'kernel-b', 'axis', 'replay'] as const;

type Problem = { readonly error: string };

/** One release's profile, or what is wrong with the option. */
function oneKernel(option: string, given: readonly string[]): KernelProfile | Problem {
  const names = given.flatMap((g) => g.split(',')).filter((n) => n !== '');
  if (names.length !== 1) return { error: `--${option} takes one release` };
  const r = resolveKernels(names, []);
  return typeof r === 'string' ? { error: r } : (r[0] as KernelProfile);
}

/** The file's scenario the --axis values pick, or what is wrong. */
function pickScenario(
  scenarios: readonly ParsedScenario[],
  axes: readonly string[],
): ParsedScenario | Problem {
  const wanted = axes.map((a) => a.split('='));
  const bad = wanted.find((w) => w.length !== 2 || w[0] === '' || w[1] === '');
  if (bad) return { error: `--axis takes axis=value, not '${bad.join('=')}'` };
  const fits = scenarios.filter((p) =>
    wanted.every(([k, v]) => p.scenario.axes.some((x) => x.axis === k && x.value === v)),
  );
  const ids = (xs: readonly ParsedScenario[]): string => xs.map((p) => p.scenario.id).join(', ');
  if (fits.length === 1 && fits[0]) return fits[0];
  if (fits.length === 0)
    return { error: `no scenario of the file has ${axes.join(' ')} (it has ${ids(scenarios)})` };
  return {
    error: `the file gives ${fits.length} scenarios: choose one with --axis axis=value (${ids(fits)})`,
  };
}

/** Why `profile` cannot run the scenario (an operation it lacks), or null. */
function cannotRun(s: ParsedScenario, profile: KernelProfile): Problem | null {
  const [u] = unavailableOps(s.scenario.program, profile);
  return u ? { error: `${profile.name} cannot run ${s.scenario.id}: ${u.op}: ${u.reason}` } : null;
}

/** `--replay scenario-id@kernel:steps`: its scenario and kernel, the steps checked to run. */
function replayStart(
  scenarios: readonly ParsedScenario[],
  token: string,
): { readonly picked: ParsedScenario; readonly kernel: KernelProfile } | Problem {
  const at = token.lastIndexOf('@');
  const id = token.slice(0, Math.max(0, at));
  const picked = scenarios.find((x) => x.scenario.id === id);
  const d = decodeToken(token.slice(at + 1));
  const kernel = 'ok' in d ? null : kernelProfile(d.kernel, d.set);
  if (!picked || kernel === null || isProfileError(kernel))
    return {
      error: `--replay: '${token}' is no token of this file (scenario-id@kernel:steps, as check prints it)`,
    };
  const refused = cannotRun(picked, kernel);
  if (refused) return refused;
  const r = replay(picked.scenario.program, token.slice(at + 1));
  if (!r.ok) return { error: `--replay: '${token}' does not run (${r.code})` };
  return { picked, kernel };
}

/**
 * The explorer's page for `pinlab view --explore FILE.pin --kernel K [--axis A=V] [--kernel-b K2]
 * [--replay TOKEN]`, or the user's mistake.
 */
function explorerFor(p: Parsed, path: string): string | Problem {
  const read = readBounded(path, MAX_SCENARIO_BYTES);
  if ('error' in read) return { error: `${path}: ${read.error}` };
  const parsed = parseScenarios(read.text, path);
  if (!parsed.ok) return { error: parsed.errors.map(formatError).join('\n') };
  const token = p.values.get('replay')?.at(-1) ?? null;
  const start =
    token !== null
      ? replayStart(parsed.scenarios, token)
      : { picked: pickScenario(parsed.scenarios, p.values.get('axis') ?? []), kernel: null };
  if ('error' in start) return start;
  const picked = start.picked;
  if ('error' in picked) return picked;
  const kernel =
    start.kernel ??
    (p.values.has('kernel')
      ? oneKernel('kernel', p.values.get('kernel') ?? [])
      : { error: 'give the release to explore: --kernel K' });
  if ('error' in kernel) return kernel;
  const vs = p.values.has('kernel-b') ? oneKernel('kernel-b', p.values.get('kernel-b') ?? []) : null;
  if (vs !== null && 'error' in vs) return vs;
  const refused = cannotRun(picked, kernel) ?? (vs === null ? null : cannotRun(picked, vs));
  if (refused) return refused;
  const assets = loadViewerAssets();
  if (typeof assets === 'string') return { error: assets };
  return explorerPage(
    {
      file: path,
      source: read.text,
      scenario: picked.scenario.id,
      kernel: kernel.name,
      vs: vs?.name ?? null,
      token,
    },
    assets,
  );
}

/**
 * `pinlab view TRACE.json`: serve the viewer until Ctrl-C. `pinlab view --html TRACE.json -o OUT.html`:
 * write it as one self-contained page (to stdout without -o). `pinlab view --explore FILE.pin --kernel K`:
 * the explorer, served or written the same ways.
 */
export function viewCommand(args: readonly string[], io: Io): number {
  const fail = (m: string): number => {
    io.err(`pinlab view: ${m}\n`);
    return 2;
  };
  const p = parseArgs(
    args.map((a) => (a === '-o' ? '--out' : a)),
    SPEC,
  );
  if (isArgsError(p)) return fail(p.error);
  const explore = p.flags.has('explore');
  const [path, ...extra] = p.positionals;
  if (path === undefined || extra.length > 0)
    return fail(
      explore
        ? 'give one scenario file to explore (FILE.pin)'
        : 'give one trace file (from check --format json or explain --out)',
    );
  const stray = explore ? undefined : EXPLORE_ONLY.find((o) => p.values.has(o));
  if (stray !== undefined) return fail(`--${stray} goes with --explore`);
  const out = p.values.get('out')?.at(-1);
  if (out !== undefined && !p.flags.has('html')) return fail('-o goes with --html');
  const refused = out === undefined ? null : outputProblem(out, [path]);
  if (refused !== null) return fail(refused);
  const page = explore ? explorerFor(p, path) : tracePage(path);
  if (typeof page !== 'string') return fail(page.error);
  if (p.flags.has('html')) {
    if (out === undefined) {
      io.out(page);
      return 0;
    }
    const problem = writeOutput(out, page, [path]);
    if (problem !== null) return fail(problem);
    io.err(`pinlab view: wrote ${out}\n`);
    return 0;
  }
  const assets = loadViewerAssets();
  if (typeof assets === 'string') return fail(assets);
  serveViewer(page, viewerCsp(assets)).then(
    (s) => {
      io.out(`pinlab view: ${s.url}  (Ctrl-C stops)\n`);
      process.once('SIGINT', () => void s.close());
    },
    (e: unknown) => {
      io.err(`pinlab view: cannot serve: ${errorText(e)}\n`);
      process.exitCode = 1;
    },
  );
  return 0;
}

/** The trace viewer's page for a trace file, or the user's mistake. */
function tracePage(path: string): string | Problem {
  const file = readTraceFile(path);
  if (typeof file === 'string') return { error: file };
  const assets = loadViewerAssets();
  return typeof assets === 'string' ? { error: assets } : viewerPage(file, assets);
}
