import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { viewerCsp, viewerPage, type ViewerAssets } from '../report/html.js';
import { parseTraceFile, type TraceFile } from '../report/trace-file.js';
import { isArgsError, parseArgs } from './args.js';
import { MAX_TRACE_BYTES, outputProblem, readBounded, writeOutput } from './files.js';
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

const SPEC = { html: 'flag', out: 'value' } as const;

/**
 * `pinlab view TRACE.json`: serve the viewer until Ctrl-C. `pinlab view --html TRACE.json -o OUT.html`:
 * write it as one self-contained page (to stdout without -o).
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
  const [path, ...extra] = p.positionals;
  if (path === undefined || extra.length > 0)
    return fail('give one trace file (from check --format json or explain --out)');
  const out = p.values.get('out')?.at(-1);
  if (out !== undefined && !p.flags.has('html')) return fail('-o goes with --html');
  const refused = out === undefined ? null : outputProblem(out, [path]);
  if (refused !== null) return fail(refused);
  const file = readTraceFile(path);
  if (typeof file === 'string') return fail(file);
  const assets = loadViewerAssets();
  if (typeof assets === 'string') return fail(assets);
  const page = viewerPage(file, assets);
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
