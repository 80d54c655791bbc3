import { KERNELS } from '../../src/model/profile/profiles.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, RACE } from './helpers.js';
import { wrapWords, type listData } from '../../src/cli/list.js';

type ListJson = ReturnType<typeof listData>;

/** A file named after the scenario it holds, as pinlab names scenarios. */
function scenarioFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pinlab-cli-'));
  const f = join(dir, `${/^scenario (\S+)/.exec(text)?.[1] ?? 'race'}.pin`);
  writeFileSync(f, text);
  return f;
}

describe('pinlab COMMAND --help', () => {
  it.each(['check', 'diff', 'explain', 'replay', 'view', 'cow', 'gup-longterm', 'export-c', 'real', 'list'])(
    'prints the usage of %s and exits 0',
    (cmd) => {
      const r = cli(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out.startsWith(`usage:\n  pinlab ${cmd}`)).toBe(true);
      expect(r.out).not.toContain(cmd === 'check' ? 'pinlab view' : 'pinlab check [');
      expect(cli(cmd, '-h').out).toBe(r.out);
    },
  );

  it('fits the usage in 100 columns', () => {
    const long = cli('--help')
      .out.split('\n')
      .filter((l) => l.length > 100);
    expect(long).toEqual([]);
  });

  it('still calls an unknown command an error', () => {
    expect(cli('frobnicate', '--help').code).toBe(2);
  });

  it('prints the usage on stderr and exits 2 without a command; --help and help exit 0', () => {
    const bare = cli();
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    expect(bare.err).toBe(cli('--help').out);
    expect(cli('help').code).toBe(0);
    expect(cli('help').out.startsWith('pinlab: ')).toBe(true);
  });
});

describe('pinlab check', () => {
  it('exits 0 and prints a table when every verdict matches', () => {
    const r = cli('check', scenarioFile(RACE), '--kernel', 'v5.4,v6.12');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^race {2}\(\d+ states, \d+\.\d s\)\n {2}a-wins +sometimes 1\/2 on all +open\n/);
    expect(r.out).toContain('2 passed, 0 failed');
  });

  it('exits 1 and shows the trace when a verdict differs from the expectation', () => {
    const r = cli(
      'check',
      scenarioFile(RACE.replace('sometimes on all', 'never on all')),
      '--kernel',
      'v6.1',
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('a-wins is sometimes, expected never');
    expect(r.out).toMatch(/replay: pinlab replay 'race@v6\.1:/);
  });

  it('fails a condition no interleaving completes, with the deadlock that shows it', () => {
    const stuck = `scenario stuck
intent: A fixed-buffer write no device completes.
source: a test of the CLI

file f xfs = "Z"

process P
  map buf anon private

thread T0 in P
  uring register buf 0 -> reg
  uring write-fixed 0 iomap f[0] as w
  pread f[0] -> got

exists (T0:got != "Z") as lost
expect lost: never on all
`;
    const r = cli('check', scenarioFile(stuck), '--kernel', 'v6.12');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\n {2}lost +nothing ✗\(never\) on all +mismatch\n/);
    expect(r.out).toContain(
      'lost judges nothing, expected never (no interleaving completes: every terminal state is a deadlock (1))',
    );
    expect(r.out).toContain('end: deadlock');
    // Which thread waits on what, in text (a line within 100 columns, continued) and in JSON.
    expect(r.out.replaceAll('\n  ', ' ')).toMatch(
      /\ndeadlock: stuck on all: no step can run; thread T0 waits at operation 2 \(uring-rw\), step complete \(dio 0, node 0\)\n/,
    );
    const j = JSON.parse(cli('check', scenarioFile(stuck), '--kernel', 'v6.12', '--format', 'json').out) as {
      results: { deadlock: unknown }[];
    };
    expect(j.results[0]?.deadlock).toEqual([
      expect.objectContaining({ thread: 'T0', process: 'P', line: 2, why: 'waits' }),
    ]);
  });

  it('prints one JSON object with one result per scenario, kernel and condition', () => {
    const r = cli('check', scenarioFile(RACE), '--kernel', 'v6.1', '--format', 'json');
    const parsed = JSON.parse(r.out) as { pinlab: number; results: Record<string, unknown>[] };
    expect(parsed.pinlab).toBe(1);
    expect(parsed.results).toHaveLength(1);
    expect(parsed.results[0]).toMatchObject({
      scenario: 'race',
      kernel: 'v6.1',
      condition: 'a-wins',
      verdict: 'sometimes',
      expected: 'sometimes',
      // herd7's witnesses: A wins in one of the two final states.
      witnesses: { satisfy: 1, violate: 1 },
    });
    expect(Object.keys(parsed.results[0] ?? {})).toEqual(
      expect.arrayContaining(['states', 'transitions', 'ms', 'trace', 'replay']),
    );
  });

  it('gives file:line:col and exit 2 for a malformed scenario', () => {
    const f = scenarioFile(RACE.replace('write buf "B"', 'wirte buf "B"'));
    const r = cli('check', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/race\.pin:11:3: .*wirte/);
  });

  it('rejects an unknown kernel, policy or value with exit 2', () => {
    expect(cli('check', scenarioFile(RACE), '--kernel', 'v9.9').err).toContain("unknown kernel 'v9.9'");
    expect(cli('check', scenarioFile(RACE), '--set', 'no.such=1').code).toBe(2);
    expect(cli('check', scenarioFile(RACE), '--set', 'dio.extract=maybe').err).toContain(
      "policy 'dio.extract' has no value 'maybe'",
    );
  });

  it('is deterministic: the same run prints the same bytes', () => {
    const f = scenarioFile(RACE);
    const a = cli('check', f, '--format', 'json', '--kernel', 'v6.4');
    const b = cli('check', f, '--format', 'json', '--kernel', 'v6.4');
    const strip = (s: string): string => s.replace(/"ms": \d+/g, '"ms": 0');
    expect(strip(a.out)).toBe(strip(b.out));
  });
});

describe('pinlab replay', () => {
  it('re-runs the interleaving a check printed', () => {
    const f = scenarioFile(RACE);
    const json = JSON.parse(cli('check', f, '--kernel', 'v6.1', '--format', 'json').out) as {
      results: { replay: string }[];
    };
    const token = json.results[0]?.replay ?? '';
    const r = cli('replay', token, f);
    expect(r.code).toBe(0);
    expect(r.out).toContain('end: quiescent');
  });

  it('writes JSON: the steps as explain gives its trace, the end and the token', () => {
    const token = 'dio-read-fork[path=blkdev]@v6.4:0.1.1';
    const r = cli('replay', token, '--format', 'json');
    expect(r).toMatchObject({ code: 0, err: '' });
    const j = JSON.parse(r.out) as { pinlab: number; replay: { steps: unknown[] } & Record<string, unknown> };
    expect(j.pinlab).toBe(1);
    expect(j.replay).toMatchObject({
      scenario: 'dio-read-fork[path=blkdev]',
      kernel: 'v6.4',
      token,
      end: 'running',
    });
    expect(j.replay.steps.map((s) => (s as { fn: string }).fn)).toEqual([
      'blkdev_direct_IO',
      'blkdev_direct_IO',
      'dup_mmap',
    ]);
    // The same steps explain's JSON gives for the same interleaving, field by field.
    const e = cli(
      'explain',
      'scenarios/dio-read-fork.pin',
      '--kernel',
      'v6.4',
      '--axis',
      'path=blkdev',
      '--quiet',
      '--format',
      'json',
    );
    const trace = (JSON.parse(e.out) as { explain: { result: { trace: unknown[]; replay: string } } }).explain
      .result;
    const again = JSON.parse(cli('replay', trace.replay, '--format', 'json').out) as typeof j;
    expect(again.replay.steps).toEqual(trace.trace);
  });

  it('refuses a format other than text or json (exit 2)', () => {
    expect(cli('replay', 'dio-read-fork[path=blkdev]@v6.4:0.1.1', '--format', 'ktap')).toEqual({
      code: 2,
      out: '',
      err: "pinlab replay: unknown format 'ktap' (known: text json)\n",
    });
  });

  it('refuses a malformed token', () => {
    expect(cli('replay', 'nonsense').code).toBe(2);
  });

  it('refuses options as usage errors (exit 2), not as file names', () => {
    const token = 'dio-read-fork[path=blkdev]@v6.4:0.1.1';
    expect(cli('replay', token, '--kernel', 'v6.4')).toMatchObject({
      code: 2,
      err: "pinlab replay: unknown option '--kernel' (replay takes TOKEN [FILES...] [--format text|json])\n",
    });
    expect(cli('replay', token, '-k').code).toBe(2);
  });

  it('names the file it read in an error line', () => {
    const f = 'scenarios/dio-read-fork.pin';
    expect(cli('replay', 'dio-read-fork@v6.4:0.1.1', f).err).toBe(
      `pinlab replay: no scenario 'dio-read-fork' in ${f} (give its file after the token)\n`,
    );
    expect(cli('replay', 'dio-read-fork[path=blkdev]@v6.4:0.9.1', f).err).toBe(
      `pinlab replay: ${f}: bad token 'dio-read-fork[path=blkdev]@v6.4:0.9.1' (not-enabled)\n`,
    );
  });
});

describe('pinlab diff', () => {
  it('lists only the verdicts that differ between two kernels', () => {
    const r = cli('diff', '--kernel', 'v5.4', '--kernel', 'v6.1', 'scenarios/vmsplice-child-unmap.pin');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/vmsplice-child-unmap\[page=base\]\s+leak: v5\.4 sometimes -> v6\.1 never/);
  });
});

describe('a scenario whose header name is not its file name', () => {
  it('is checked under its file name, with a located warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinlab-cli-'));
    const f = join(dir, 'other.pin');
    writeFileSync(f, RACE);
    const r = cli('check', f, '--kernel', 'v6.12');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('other  (')).toBe(true);
    expect(r.err).toBe(
      `${f}:1:1: warning: the scenario is named 'race' in a file named other.pin: pinlab names it by ` +
        "its file (rename the file to race.pin, or write 'scenario other')\n",
    );
    const lint = cli('lint', f);
    expect([lint.code, lint.err]).toEqual([0, r.err]);
  });
});

describe('the README', () => {
  it('shows a scenario that parses and whose verdicts match its expectations on every release', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```\n(scenario gup-get-child-unmap[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const r = cli('check', scenarioFile(block ?? ''));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('pinlab list', () => {
  it('lists the built-in scenarios, the profiles and each policy with its history', () => {
    const r = cli('list');
    expect(r.code).toBe(0);
    expect(r.out).toContain('dio-read-fork[path=blkdev]');
    expect(r.out).toContain('kernel profiles: v4.19');
    expect(r.out).toMatch(/dio\.extract[\s\S]*v6\.5\s+pin/);
  });

  it('shows the source of each scenario whole, wrapped to 100 columns', () => {
    const r = cli('list');
    const scenarios = r.out.slice(0, r.out.indexOf('\nkernel profiles:'));
    for (const line of scenarios.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const words = (text: string): string => text.replace(/\s+/g, ' ');
    expect(words(scenarios)).toContain(
      'seed 003, Jan Kara, Re: [LSF/MM TOPIC] get_user_pages() and filesystems (6 Feb 2018, linux-fsdevel/linux-mm)',
    );
    expect(words(scenarios)).toContain('tools/testing/selftests/mm/cow');
  });

  it('fits every line in 100 columns: policies, their history, stable series and variants', () => {
    const r = cli('list');
    expect(r.out.split('\n').filter((l) => l.length > 100)).toEqual([]);
    // A wrapped line keeps every word: the per-release row of one policy, read back whole.
    const perRelease = /\n {2}per release: ([^\n]+(?:\n {15}[^\n]+)*)/.exec(
      r.out.slice(r.out.indexOf('\ncow.reuse ')),
    );
    expect(perRelease?.[1]?.replace(/\s+/g, ' ').split(' ')).toHaveLength(KERNELS.length);
  });
});

describe('pinlab list --format json', () => {
  it('gives what the text shows: scenarios, profiles, series, variants, each policy with its history', () => {
    const r = cli('list', '--format', 'json');
    expect(r).toMatchObject({ code: 0, err: '' });
    const { list } = JSON.parse(r.out) as { list: ListJson };
    expect(list.scenarios.map((s) => s.id)).toContain('dio-read-fork[path=blkdev]');
    expect(list.profiles.map((p) => p.name)).toEqual([...KERNELS, 'howells-v8']);
    expect(list.profiles.find((p) => p.name === 'v5.10.y')).toMatchObject({
      release: 'v5.10',
      kind: 'stable',
    });
    const extract = list.policies.find((p) => p.name === 'dio.extract');
    expect(extract?.history.map((c) => [c.since, c.value])).toContainEqual(['v6.5', 'pin']);
    expect(extract?.history.every((c) => c.commit.length > 0)).toBe(true);
    expect(extract?.perRelease).toMatchObject({ 'v6.4': 'get', 'v6.5': 'pin' });
    expect(Object.keys(extract?.perRelease ?? {})).toEqual(KERNELS);
    // The text's per-release rows, policy by policy and value for value.
    const rows = [...cli('list').out.matchAll(/\n {2}per release: ([^\n]+(?:\n {15}[^\n]+)*)/g)];
    expect(rows.map((m) => m[1]?.split(/\s+/))).toEqual(
      list.policies.map((p) => KERNELS.map((k) => `${k}=${p.perRelease[k]}`)),
    );
  });

  it('refuses an operand or another format (exit 2)', () => {
    expect(cli('list', 'x')).toEqual({ code: 2, out: '', err: "pinlab list: unexpected argument 'x'\n" });
    expect(cli('list', '--format', 'ktap')).toEqual({
      code: 2,
      out: '',
      err: "pinlab list: unknown format 'ktap' (known: text json)\n",
    });
  });
});

describe('wrapWords', () => {
  it('keeps every word, in order, within the width unless a word alone is longer', () => {
    const text = 'a bb ccc dddd eeeee ' + 'x'.repeat(30) + ' f';
    const out = wrapWords(text, 2, 12);
    expect(out.split(/\s+/).filter((w) => w !== '')).toEqual(text.split(' '));
    for (const line of out.trimEnd().split('\n'))
      expect(line.length <= 12 || line.trim() === 'x'.repeat(30)).toBe(true);
  });
});

describe('an invariant row on a release that cannot run the scenario', () => {
  it('shows n/a (its reason below the table), not never, in runs and in the grid', () => {
    const args = ['check', 'scenarios/uring-unregister-inflight.pin', '--kernel', 'v4.19,v5.4', '--quiet'];
    const r = cli(...args);
    expect(r.out).toMatch(/\n {2}\[use-after-free\] +n\/a on v4\.19, never on v5\.4\n/);
    expect(r.out).toContain(
      '\nn/a: uring-unregister-inflight on v4.19: io_uring does not exist before v5.1\n',
    );
    expect(cli(...args, '--wide').out).toMatch(
      /\nuring-unregister-inflight {2}\[use-after-free\] +n\/a +never\n/,
    );
  });
});
