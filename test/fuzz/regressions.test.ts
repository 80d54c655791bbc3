import { describe, expect, it } from 'vitest';
import { parseScenarios, printScenario } from '../../src/scenario/index.js';
import { MAX_NESTING } from '../../src/scenario/parser.js';
import { parseErrors, parseOk, withOps } from '../scenario/helpers.js';

/** Each crash class the fuzzer found, as the smallest input that showed it. */

const condition = (prop: string): string =>
  withOps('read buf -> r').replace('exists (P:buf == "X")', `exists (${prop})`);

describe('fuzz regressions: the parser', () => {
  // `exists (` takes the first level: the 64th `not` or the 64th inner parenthesis is one too many.
  it.each([
    ['a long not chain', `${'not '.repeat(100_000)}T0:r == "A"`, 9 + (MAX_NESTING - 1) * 4],
    ['deep parentheses', `${'('.repeat(100_000)}T0:r == "A"${')'.repeat(100_000)}`, 8 + MAX_NESTING],
  ])('refuses %s at its line and column instead of overflowing the stack', (_, prop, col) => {
    expect(parseErrors(condition(prop))).toEqual([
      `test.pin:11:${col}: the condition nests 'not' and parentheses deeper than ${MAX_NESTING} levels`,
    ]);
  });

  it('accepts nesting up to the limit, and prints it back', () => {
    const [s] = parseOk(condition(`${'not '.repeat(MAX_NESTING - 1)}T0:r == "A"`));
    expect(parseOk(printScenario(s!.scenario)).map((p) => p.scenario)).toEqual([s!.scenario]);
  });

  it('quotes an excerpt of a 200,000-character unknown word', () => {
    const [e, ...rest] = parseErrors(withOps(`${'w'.repeat(200_000)} buf`));
    expect(rest).toEqual([]);
    expect(e).toMatch(
      /^test\.pin:10:3: unknown operation 'w{40}\.\.\. \(200000 characters\)' \(expected one of: /,
    );
    expect(e!.length).toBeLessThan(1000);
  });

  it.each([
    ['a thread line without its process', (w: string) => `thread ${w}`, 'after the thread name (thread '],
    ['an axis without values', (w: string) => `axis ${w}`, 'after the axis name (axis '],
  ])('quotes an excerpt of a 200,000-character name in %s', (_, line, context) => {
    const w = 'w'.repeat(200_000);
    const [e, ...rest] = parseErrors(
      withOps('touch buf').replace('thread T0 in P', `${line(w)}\nthread T0 in P`),
    );
    expect(rest).toEqual([]);
    expect(e).toContain(`${context}${'w'.repeat(40)}... (200000 characters)`);
    expect(e!.length).toBeLessThan(1000);
  });

  it.each([
    ['a forked process no operation forks', (w: string) => withOps('touch buf', '', `process ${w} forked`)],
    [
      'a thread that never sets a register',
      (w: string) => withOps('touch buf', 'exists (T0:r == "A")').replaceAll('T0', w),
    ],
    ['a handle used before it is made', (w: string) => withOps('unpin h').replaceAll('T0', w)],
    [
      'a disk page past the end of a file',
      (w: string) =>
        withOps('touch buf', 'exists (disk:f[3] == "A")')
          .replace('file f ext4', `file ${w} ext4`)
          .replace('file f shared', `file ${w} shared`)
          .replace('disk:f', `disk:${w}`),
    ],
  ])('quotes an excerpt of a 200,000-character name when it reports %s', (_, text) => {
    const errors = parseErrors(text('w'.repeat(200_000)));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toContain(`${'w'.repeat(40)}... (200000 characters)`);
      expect(e.length).toBeLessThan(1000);
    }
  });

  it.each([
    [
      'pread f[1000000000000000000000] -> r',
      'test.pin:10:11: a page index 1000000000000000000000 is too large: at most 1023',
    ],
    [
      `pread f[${'9'.repeat(400)}] -> r`,
      `test.pin:10:11: a page index ${'9'.repeat(40)}... (400 characters) is too large: at most 1023`,
    ],
    [
      'get buf flags=2147483648 as h',
      'test.pin:10:17: FOLL_* flag bits 2147483648 is too large: at most 2147483647',
    ],
    [
      'uring register buf 16384 -> r',
      'test.pin:10:22: a registered-buffer slot 16384 is too large: at most 16383',
    ],
  ])('refuses a number the model cannot hold or print back: %s', (op, message) => {
    expect(parseErrors(withOps(op))).toEqual([message]);
  });

  it('prints header text so that no continuation line reads as a header of its own', () => {
    const words = `${'x '.repeat(43)}source: y z`;
    const [s] = parseOk(withOps('touch buf').replace('intent: A test.', `intent: ${words}`));
    const printed = printScenario(s!.scenario);
    expect(parseOk(printed).map((p) => p.scenario)).toEqual([s!.scenario]);
  });

  it('refuses axes whose cross product is over 256 before expanding them', () => {
    const values = Array.from({ length: 17 }, (_, i) => `v${i}`).join(' | ');
    const text = withOps('touch buf').replace('file f', `axis a = ${values}\naxis b = ${values}\nfile f`);
    const r = parseScenarios(text, 'test.pin');
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([
      'the axes give 289 combinations of values: at most 256 (each is a scenario of its own)',
    ]);
  });
});
