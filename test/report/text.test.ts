import { describe, expect, it } from 'vitest';
import { textReport } from '../../src/report/text.js';
import { releasesOf, runsOf, runsText } from '../../src/report/runs.js';
import { statusOf } from '../../src/report/status.js';
import type { Row } from '../../src/suite/run.js';
import { run } from '../../src/cli/run.js';

const K = ['v4.19', 'v5.4', 'v5.10', 'v6.1', 'v6.4', 'v6.5', 'v6.12'];

function row(kernel: string, verdict: Row['verdict'], extra: Partial<Row> = {}): Row {
  return {
    scenario: 's',
    kernel,
    condition: 'lost',
    kind: 'condition',
    quantifier: 'exists',
    verdict,
    expected: null,
    ok: null,
    states: 10,
    transitions: 20,
    depth: 3,
    tableBytes: 1024,
    witnesses: null,
    finals: null,
    failed: [],
    deadlock: null,
    ms: 100,
    bound: null,
    reason: null,
    trace: null,
    replay: null,
    ...extra,
  };
}

describe('runs of equal verdicts, as expect lines write them', () => {
  it('groups consecutive releases and names them all, ..X, X.., X..Y or one release', () => {
    expect(
      runsText(
        K.map(() => 'never'),
        K,
      ),
    ).toEqual(['never on all']);
    const v = ['sometimes', 'sometimes', 'never', 'sometimes', 'sometimes', 'never', 'never'];
    expect(runsText(v, K)).toEqual([
      'sometimes on ..v5.4',
      'never on v5.10',
      'sometimes on v6.1..v6.4',
      'never on v6.5..',
    ]);
    expect(runsOf(['a', 'b', 'b'])).toEqual([
      { value: 'a', from: 0, to: 0 },
      { value: 'b', from: 1, to: 2 },
    ]);
    expect(releasesOf({ value: 'x', from: 0, to: 0 }, ['v6.1'])).toBe('all');
  });
});

describe('the status of a row', () => {
  const cells = (vs: Row['verdict'][]) => vs.map((v, i) => row(K[i] ?? '?', v));
  it('fixed: bad on an older release, never on the newest that ran it', () => {
    expect(statusOf(cells(['sometimes', 'always', 'never', 'never']))).toBe('fixed');
    expect(statusOf([...cells(['sometimes', 'never']), row('v6.12', 'unavailable')])).toBe('fixed');
  });
  it('open: bad on the newest release', () => {
    expect(statusOf(cells(['never', 'never', 'sometimes']))).toBe('open');
  });
  it('mismatch: a verdict differs from its expectation, whatever else', () => {
    const c = cells(['sometimes', 'never']);
    expect(statusOf([...c, row('v6.12', 'never', { ok: false, expected: 'sometimes' })])).toBe('mismatch');
  });
  it('nothing to say: never everywhere, or inconclusive on the newest', () => {
    expect(statusOf(cells(['never', 'never']))).toBe('');
    expect(statusOf(cells(['sometimes', 'inconclusive']))).toBe('');
    expect(statusOf([undefined, undefined])).toBe('');
  });
  it('a forall condition states the good outcome: always is safe, sometimes and never are bad', () => {
    const forall = (vs: Row['verdict'][]) => vs.map((v, i) => row(K[i] ?? '?', v, { quantifier: 'forall' }));
    expect(statusOf(forall(['always', 'always']))).toBe('');
    expect(statusOf(forall(['sometimes', 'never', 'always']))).toBe('fixed');
    expect(statusOf(forall(['always', 'sometimes']))).toBe('open');
    expect(statusOf(forall(['always', 'never']))).toBe('open');
  });
  it('an invariant is bad when violated, and a row it lacks on the newest release is never', () => {
    const inv = (v: Row['verdict'], k: string) => row(k, v, { kind: 'invariant', quantifier: null });
    expect(statusOf([inv('sometimes', 'v5.4'), undefined])).toBe('fixed');
    expect(statusOf([undefined, inv('always', 'v6.1')])).toBe('open');
  });
});

describe('the text report', () => {
  const longName = 'a-condition-with-a-rather-long-name-indeed';
  const rows: Row[] = [
    ...K.map((k, i) =>
      row(k, i < 2 ? 'unavailable' : i % 2 === 0 ? 'sometimes' : 'never', {
        scenario: 'a-scenario-with-a-long-name[axis=value]',
        condition: longName,
        reason:
          i < 2
            ? 'pin_user_pages() (FOLL_PIN) does not exist in this release, so this cannot run at all'
            : null,
      }),
    ),
    ...K.map((k, i) =>
      row(k, i < 5 ? 'sometimes' : 'never', { ms: 250, witnesses: { satisfy: i < 5 ? 1 : 0, violate: 2 } }),
    ),
    row('v5.4', 'always', { condition: 'use-after-free', kind: 'invariant', ms: 250 }),
  ];
  const text = textReport(rows, K);

  it('fits 100 columns, with per-scenario states and time, runs and a status per row', () => {
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).toContain('\ns  (70 states, 1.8 s)\n');
    // herd7's witnesses with each verdict: 1 of 3 final states satisfy the condition.
    expect(text).toMatch(/\n {2}lost +sometimes 1\/3 on \.\.v6\.4, never 0\/2 on v6\.5\.\. +fixed\n/);
    // An invariant row only where it fired: never elsewhere.
    expect(text).toMatch(
      /\n {2}\[use-after-free\] +never on v4\.19, always on v5\.4, never on v5\.10\.\. +fixed\n/,
    );
    // A name longer than its column has a line of its own; long runs wrap at a comma.
    expect(text).toContain(`\n  ${longName}\n`);
  });

  it('has a legend, and says why each n/a', () => {
    expect(text).toContain('\nlegend: never / sometimes / always: ');
    expect(text).toContain('-: no verdict');
    expect(text).toContain('\nstatus: fixed: ');
    expect(text).toContain(
      '\nn/a: a-scenario-with-a-long-name[axis=value] on ..v5.4:\n     pin_user_pages() (FOLL_PIN) does not exist',
    );
    expect(text).toMatch(/\n13 passed, 0 failed, 2 skipped\n$/);
  });

  it('prints the full grid under --wide, and no times without timings', () => {
    const wide = textReport(rows, K, new Map(), { wide: true });
    expect(wide).toMatch(/^scenario {2}condition +v4\.19 +v5\.4 +v5\.10 +v6\.1 +v6\.4 +v6\.5 +v6\.12\n/);
    expect(wide).toMatch(/\ns {2}lost +(sometimes 1\/3 +){5}never 0\/2 {2}never 0\/2\n/);
    expect(textReport(rows, K, new Map(), { timings: false })).toContain('\ns  (70 states)\n');
  });

  it('fits its warnings, deadlocks and n/a reasons in 100 columns too, wrapped under their first line', () => {
    const failed: Row['failed'] = [
      { thread: 'T0', line: 1, op: 'uring-register', always: true, errnos: [-95, -14, -22] },
    ];
    const wide: Row[] = [
      row('v5.4', 'never', { scenario: 'read-fixed-dirty[buf=memfd-with-a-long-value]', failed }),
      row('v5.10', 'unavailable', {
        scenario: 'read-fixed-dirty[buf=memfd-with-a-long-value]',
        reason:
          "btrfs direct I/O runs fs/direct-io.c before v5.10 (policy btrfs.dioPath): write 'legacy', not 'iomap', on these releases",
      }),
    ];
    const text = textReport(wide, ['v5.4', 'v5.10'], new Map(), { timings: false });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).toMatch(
      /\nwarning: read-fixed-dirty\[buf=memfd-with-a-long-value\] on v5\.4: thread T0's .*\n {2}\S/,
    );
    // Unwrapped, the warning reads as one line.
    expect(text.replaceAll('\n  ', ' ')).toContain(
      "on v5.4: thread T0's operation 1 (uring-register) always returns -95 (EOPNOTSUPP), -14 (EFAULT), -22 (EINVAL)\n",
    );
  });

  it('shows a release whose search a Ctrl-C left out as -, not as never, and judges no status by it', () => {
    // Interrupted on v4.19: only its rows exist; v5.4 onwards never ran. Violated on the one release
    // that ran: open (the old report called it fixed, by releases it had not run).
    const partial: Row[] = [
      row('v4.19', 'inconclusive', { bound: 'interrupt', ok: false, expected: 'sometimes' }),
      row('v4.19', 'sometimes', {
        condition: 'lost-dio-data',
        kind: 'invariant',
        quantifier: null,
        bound: 'interrupt',
      }),
    ];
    const text = textReport(partial, K, new Map(), { timings: false });
    expect(text).toMatch(/\n {2}\[lost-dio-data\] +sometimes on v4\.19, - on v5\.4\.\. +open\n/);
    expect(text).not.toMatch(/never on v5\.4/);
  });
});

describe('check --no-timings, text', () => {
  /** A run with a clock that moves by a different step each time: its times differ. */
  function check(step: number, ...args: string[]): string {
    let out = '';
    let t = 0;
    run(['check', 'scenarios/dio-read-fork.pin', '--kernel', 'v6.4,v6.5', '--quiet', ...args], {
      version: 'test',
      out: (s) => (out += s),
      err: () => undefined,
      now: () => (t += step),
    });
    return out;
  }
  it('gives the same bytes run after run; with timings the times show', () => {
    expect(check(1, '--no-timings')).toBe(check(700, '--no-timings'));
    expect(check(1)).not.toBe(check(700));
  });
});

describe('what the passes hold that judged nothing', () => {
  const judged = row('v6.6', 'never', { expected: 'never', ok: true });
  const open = row('v6.6', 'sometimes', { condition: 'other' });

  it('counts the verdicts with no expectation, and says nothing when every verdict is judged', () => {
    expect(textReport([judged], ['v6.6'])).not.toContain('no expectation');
    const text = textReport([judged, open], ['v6.6']);
    expect(text).toContain(
      '\n1 verdict has no expectation and counts as passed: an `expect` line would judge it.\n',
    );
    expect(text).toMatch(/\n2 passed, 0 failed, 0 skipped\n$/);
  });

  it('says how a what-if is judged: conditions reported, invariants against never', () => {
    const k = 'v6.6[dio.extract=get]';
    const inv = row(k, 'sometimes', { condition: 'lost-dio-data', kind: 'invariant', ok: false });
    const text = textReport([row(k, 'sometimes'), inv], [k]);
    expect(text).toContain(`\nwhat-if ${k}: expectations name releases, so its conditions are reported, not`);
    expect(text).toContain('its invariants are judged against never, as on every release.\n');
    expect(text).toMatch(/\n1 passed, 1 failed, 0 skipped\n$/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // No expect line can judge a what-if's conditions: the note on missing expectations leaves them out.
    expect(text).not.toContain('no expectation');
    const both = textReport([row('v6.6', 'never'), open, row(k, 'sometimes')], ['v6.6', k]);
    expect(both).toContain(
      '\n2 verdicts have no expectation and count as passed: an `expect` line would judge them.\n',
    );
  });
});
