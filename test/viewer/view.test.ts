import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveViewer } from '../../src/cli/view.js';
import { cli, DIO_READ_FORK, dioReadForkTrace, hostileTrace, PAYLOAD, tmp } from './fixtures.js';

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

/** The text of every element `<tag ...>text</tag>` of an HTML page. */
function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

function htmlOf(trace: string): string {
  const out = join(tmp(), 'out.html');
  const r = cli('view', '--html', trace, '-o', out);
  expect(r.code, r.err).toBe(0);
  return readFileSync(out, 'utf8');
}

function get(
  url: string,
  host?: string,
  method = 'GET',
): Promise<{ status: number; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: host ? { Host: host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          csp: String(res.headers['content-security-policy'] ?? ''),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The status of a GET / sent by hand with these Host headers (node's client sends one at most). */
function rawStatus(url: string, hosts: readonly string[]): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.end(`GET / HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Connection: close\r\n\r\n`),
    );
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (reply += c));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('pinlab view --html', () => {
  it('writes one page whose policy allows only its own inline script and style, by hash', () => {
    const html = htmlOf(dioReadForkTrace());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    const script = elements(html, 'script').at(-1) ?? '';
    const style = elements(html, 'style')[0] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256(style)}'`);
    expect(csp).not.toMatch(/unsafe|\bhttps?:|\*/);
    expect(html).toMatch(/<script type="application\/json" id="pinlab-trace">/);
    expect(html).not.toMatch(/<script[^>]+src=|<link/);
  });

  it('embeds a hostile trace as data only: no markup of it survives, and it reads back whole', () => {
    const trace = join(tmp(), 'hostile.json');
    const hostile = hostileTrace();
    writeFileSync(trace, JSON.stringify(hostile));
    const html = htmlOf(trace);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('window.pwned=1</script>');
    const data = elements(html, 'script')[0] ?? '';
    expect(data).not.toMatch(/[<>&]/);
    expect(JSON.parse(data)).toEqual(hostile);
    expect((JSON.parse(data) as { results: { scenario: string }[] }).results[0]?.scenario).toContain(PAYLOAD);
  });

  it('writes the page to stdout without -o', () => {
    const r = cli('view', '--html', dioReadForkTrace());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<!doctype html>/);
  });

  it('refuses what it cannot show with a message and exit status 2', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"pinlab": 1, "results": [{"scenario": 1}]}');
    // 5,000 levels in a field the viewer ignores: JSON.stringify of the page overflowed the stack.
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `{"pinlab": 1, "junk": ${'['.repeat(5000)}${']'.repeat(5000)}, "results": []}`);
    const trace = dioReadForkTrace();
    const never = join(dir, 'never.json');
    writeFileSync(
      never,
      cli('check', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.5', '--format', 'json').out,
    );
    const cases: [string[], RegExp][] = [
      [[], /give one trace file/],
      [[join(dir, 'missing.json')], /missing\.json: cannot read: ENOENT/],
      [[bad], /bad\.json: results\[0\]\.scenario: expected a string/],
      [[never], /never\.json has no run to show/],
      [[dioReadForkTrace(), '-o', join(dir, 'x.html')], /-o goes with --html/],
      [['--port', '1'], /unknown option '--port'/],
      [['/dev/zero'], /\/dev\/zero: larger than 256 MiB: not read/],
      [[deep], /deep\.json: not a pinlab trace file: nested deeper than 64 levels/],
      [['--html', dioReadForkTrace(), '-o', '/dev/full'], /will not write \/dev\/full: it is under \/dev/],
      [['--html', trace, '-o', trace], /will not write .*\.json: it is an input of this command/],
    ];
    for (const [args, message] of cases) {
      const r = cli('view', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^pinlab view: /);
      expect(r.err).toMatch(message);
    }
  });
});

describe('pinlab view --explore', () => {
  const explore = (...args: string[]) => cli('view', '--explore', ...args, '--html');

  it('writes one page carrying the scenario file and where to start, under the same policy', () => {
    const r = explore(...DIO_READ_FORK, '--kernel', 'v6.4', '--kernel-b', 'v6.5');
    expect(r.code, r.err).toBe(0);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(r.out)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe|connect-src/);
    const data =
      /<script type="application\/json" id="pinlab-explore">([^<]*)<\/script>/.exec(r.out)?.[1] ?? '';
    expect(JSON.parse(data)).toEqual({
      file: DIO_READ_FORK[0],
      source: readFileSync(DIO_READ_FORK[0], 'utf8'),
      scenario: 'dio-read-fork[path=blkdev]',
      kernel: 'v6.4',
      vs: 'v6.5',
      token: null,
    });
    const replayed = explore(DIO_READ_FORK[0], '--replay', 'dio-read-fork[path=iomap]@v6.5:0.1');
    expect(replayed.code, replayed.err).toBe(0);
    expect(replayed.out).toContain('"scenario":"dio-read-fork[path=iomap]","kernel":"v6.5"');
  });

  it('refuses what it cannot explore with a message and exit status 2', () => {
    const dir = tmp();
    const broken = join(dir, 'broken.pin');
    writeFileSync(broken, 'scenario broken\nthread T0 in P\n  frobnicate buf\n');
    const pin = 'scenarios/longterm-pin-fork.pin';
    const cases: [string[], RegExp][] = [
      [['--explore'], /give one scenario file to explore/],
      [['--explore', pin], /give the release to explore: --kernel K/],
      [['--explore', pin, '--kernel', 'v6.4,v6.5'], /--kernel takes one release/],
      [['--explore', pin, '--kernel', 'v9.9'], /unknown kernel 'v9\.9'/],
      [['--explore', pin, '--kernel', 'v5.4'], /^pinlab view: v5\.4 cannot run longterm-pin-fork: /],
      [['--explore', pin, '--kernel', 'v6.4', '--kernel-b', 'v5.4'], /v5\.4 cannot run longterm-pin-fork/],
      [
        ['--explore', DIO_READ_FORK[0], '--kernel', 'v6.4'],
        /the file gives 4 scenarios: choose one with --axis/,
      ],
      [
        ['--explore', DIO_READ_FORK[0], '--kernel', 'v6.4', '--axis', 'path=nfs'],
        /no scenario of the file has path=nfs/,
      ],
      [['--explore', DIO_READ_FORK[0], '--kernel', 'v6.4', '--axis', 'path'], /--axis takes axis=value/],
      [
        ['--explore', pin, '--replay', 'longterm-pin-fork@v6.4:7'],
        /'longterm-pin-fork@v6\.4:7' does not run \(not-enabled\)/,
      ],
      [['--explore', pin, '--replay', 'other@v6.4:0'], /is no token of this file/],
      [['--explore', broken, '--kernel', 'v6.4'], /broken\.pin:\d+:\d+: /],
      [['--explore', join(dir, 'missing.pin'), '--kernel', 'v6.4'], /missing\.pin: cannot read: ENOENT/],
      [[pin, '--kernel', 'v6.4'], /--kernel goes with --explore/],
      [[dioReadForkTrace(), '--kernel-b', 'v6.5'], /--kernel-b goes with --explore/],
    ];
    for (const [args, message] of cases) {
      const r = cli('view', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});

describe('pinlab view (served)', () => {
  it('serves the page on 127.0.0.1 at a free port, with the policy also as a header', async () => {
    const s = await serveViewer('<!doctype html><p>page</p>', "default-src 'none'");
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const ok = await get(s.url);
      expect(ok).toEqual({
        status: 200,
        csp: "default-src 'none'; frame-ancestors 'none'",
        body: '<!doctype html><p>page</p>',
      });
      expect((await get(`${s.url}trace.json`)).status).toBe(404);
      expect((await get(s.url, 'attacker.example')).status).toBe(421);
      expect((await get(s.url, undefined, 'POST')).status).toBe(405);
    } finally {
      await s.close();
    }
  });

  it('refuses a request with two Host headers, whichever comes first', async () => {
    const s = await serveViewer('<!doctype html><p>page</p>', "default-src 'none'");
    const { host } = new URL(s.url);
    try {
      for (const hosts of [
        [host, 'attacker.example'],
        ['attacker.example', host],
        [host, host],
      ])
        expect(await rawStatus(s.url, hosts)).toBe(400);
      expect(await rawStatus(s.url, [host])).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('prints its URL and stops on Ctrl-C (the built CLI)', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'view', dioReadForkTrace()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="pinlab-trace"');
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    expect(await code).toBe(0);
  });
});
