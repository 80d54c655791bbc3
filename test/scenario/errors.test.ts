import { describe, expect, it } from 'vitest';
import { formatError, parseScenarios } from '../../src/scenario/index.js';
import { OP_WORDS } from '../../src/scenario/ops.js';
import { parseErrors, withOps } from './helpers.js';

describe('formatError', () => {
  it('prints file:line:col: message', () => {
    expect(formatError({ file: 'a.pin', line: 3, col: 7, message: 'bad' })).toBe('a.pin:3:7: bad');
  });
});

describe('parseScenarios errors', () => {
  // withOps puts thread T0's first operation on line 10 and `extra` on line 12.
  const opError = (ops: string, decls = ''): string[] => parseErrors(withOps(ops, '', decls));

  it('names an unknown operation, with a suggestion and the list of operations', () => {
    const words = [...OP_WORDS.keys()];
    const r = parseScenarios(withOps('wirte buf "B"'), 'test.pin');
    expect(r.ok ? [] : r.errors).toEqual([
      {
        file: 'test.pin',
        line: 10,
        col: 3,
        message: `unknown operation 'wirte'; did you mean 'write'? (expected one of: ${words.join(', ')})`,
        expected: words,
      },
    ]);
    expect(words.slice(0, 4)).toEqual(['write', 'read', 'fork', 'exit']);
  });

  it('lists the two-word forms when only the first word is right', () => {
    expect(opError('uring regster buf 0 -> r')).toEqual([
      "test.pin:10:3: expected one of: uring register, uring read-fixed, uring write-fixed, uring unregister, found 'uring' 'regster'",
    ]);
  });

  it('points at a buffer the process does not map', () => {
    expect(opError('write bfu "B"')).toEqual([
      "test.pin:10:9: unknown buffer in process P 'bfu'; did you mean 'buf'? (expected 'buf' or 'fb')",
    ]);
  });

  it('checks a forked process against the buffers it inherits', () => {
    const text = withOps('fork C', 'thread T1 in C\n  munmap nope', 'process C forked');
    expect(parseErrors(text)).toEqual([
      "test.pin:13:10: unknown buffer in process C (inherited from its parent) 'nope' (expected 'buf' or 'fb')",
    ]);
  });

  it('points at a handle used before it is created', () => {
    expect(opError('peek h -> r\nget buf as h\nput h')).toEqual([
      "test.pin:10:8: handle 'h' is used before an operation of thread T0 creates it ('get BUF as h' or 'pin BUF as h')",
    ]);
  });

  it('names the unknown process, thread or pipe, and how to declare it', () => {
    expect(opError('fork D', 'process C forked')[0]).toBe(
      "test.pin:10:8: unknown process 'D' (expected 'P' or 'C'); declare it: 'process D' ('process D forked' when a 'fork D' creates it)",
    );
    expect(parseErrors(withOps('write buf "B"').replace('thread T0 in P', 'thread T0 in Q'))).toEqual([
      "test.pin:9:14: unknown process 'Q' (expected 'P'); declare it: 'process Q' ('process Q forked' when a 'fork Q' creates it)",
    ]);
    expect(opError('pipe-read p -> r')[0]).toBe(
      "test.pin:10:13: unknown pipe 'p' (no pipe is declared); declare it: 'pipe p'",
    );
    expect(parseErrors(withOps('write buf "B"', 'exists (T9:r == "B") as z'))[0]).toBe(
      "test.pin:12:9: unknown thread or process 'T9' (expected 'T0' or 'P')",
    );
  });

  it('checks forks: declared forked, forked once', () => {
    expect(opError('fork P')).toEqual([
      "test.pin:10:8: process P is not declared forked: write 'process P forked'",
    ]);
    expect(opError('fork C\nfork C', 'process C forked')).toEqual([
      'test.pin:11:8: process C is already forked at 10:8',
    ]);
    expect(opError('write buf "B"', 'process C forked')).toEqual([
      "test.pin:8:9: process C is declared forked, but no operation forks it (add 'fork C')",
    ]);
  });

  it('reports a bad operand with what was expected', () => {
    expect(opError('mprotect buf rx')).toEqual([
      "test.pin:10:16: unknown protection 'rx' (expected one of: rw, r, w, none)",
    ]);
    expect(opError('write buf B')).toEqual([
      `test.pin:10:13: expected the data, as a string such as "B", found 'B'`,
    ]);
    expect(opError('read buf r')).toEqual([`test.pin:10:12: expected '->', found 'r'`]);
    expect(opError('exit now')).toEqual([
      `test.pin:10:8: unexpected 'now' after 'exit'; expected the end of the line`,
    ]);
  });

  it('reports an unterminated string at its quote', () => {
    expect(opError('write buf "B')).toEqual([
      `test.pin:10:13: unterminated string: expected a closing '"' before the end of the line`,
    ]);
  });

  it('reports bad release names and ranges', () => {
    const exp = (line: string): string[] => parseErrors(withOps('write buf "X"', line));
    expect(exp('expect: never on v5.9')).toEqual([
      "test.pin:12:18: unknown release 'v5.9'; did you mean 'v5.4'? (expected one of: v4.19, v5.4, v5.8, v5.10, v5.10.y, v5.15, v5.19, v6.1, v6.1.y, v6.2, v6.4, v6.5, v6.6, v6.12, v6.12.y, v6.13, v6.14, v6.15, v6.18, v7.0, v7.2, howells-v8, all)",
    ]);
    expect(exp('expect: never on v6.1..v5.4')).toEqual([
      'test.pin:12:18: empty release range v6.1..v5.4: v6.1 is newer than v5.4',
    ]);
    expect(exp('expect: never on v4.19..v5.10, always on v5.10')).toEqual([
      'test.pin:12:42: v5.10 already has an expected verdict for this condition (at 12:18)',
    ]);
    expect(exp('expect: maybe on all')).toEqual([
      "test.pin:12:9: unknown verdict 'maybe' (expected one of: never, sometimes, always)",
    ]);
    expect(exp('expect leek: never on all')).toEqual([
      `test.pin:12:8: unknown condition or invariant 'leek' (expected 'exists (P:buf == "X")')`,
    ]);
  });

  it('reports duplicate names at the second, with the first', () => {
    const text = withOps('write buf "B"', '', 'process T0\nfile f xfs');
    expect(parseErrors(text)).toEqual([
      "test.pin:9:1: duplicate file 'f' (the first is at 4:1)",
      "test.pin:10:8: duplicate process or thread name 'T0' (the first is at 8:9)",
    ]);
  });

  it('reports missing sections', () => {
    expect(parseErrors('process P\nthread T in P\n  exit\n')).toEqual([
      "test.pin:1:1: missing 'scenario NAME' line: every scenario file starts with one",
      "test.pin:1:1: missing 'intent:': a paragraph saying what the scenario does and what goes wrong",
      "test.pin:1:1: missing 'source:': the seed message, commit or CVE the scenario comes from",
      "test.pin:4:1: missing a condition: 'exists (PROP)' or 'forall (PROP)' says what to look for",
    ]);
  });

  it('reports an unknown statement with a suggestion', () => {
    expect(parseErrors('scenario x\nprocss P\n')[0]).toBe(
      "test.pin:2:1: unknown statement 'procss'; did you mean 'process'? (expected one of: scenario, intent:, source:, axis, file, pipe, agent, process, map, setup, thread, exists, forall, expect)",
    );
  });

  it('says where operations go when one is under a process', () => {
    expect(parseErrors(withOps('exit').replace('  map buf anon private', '  write buf "B"'))[0]).toBe(
      "test.pin:6:3: operations go under a 'thread NAME in PROCESS' line, not under a process",
    );
  });

  it('reports an error from an axis value at the use, naming where the value is', () => {
    const text = `scenario a
intent: x
source: y
axis page = base | hugetlb-3M
process P
  map buf anon private page=$page
thread T in P
  exit
exists (P:buf == "0")
`;
    expect(parseErrors(text)).toEqual([
      "test.pin:6:29: unknown page kind 'hugetlb-3M'; did you mean 'hugetlb-2M'? (expected one of: base, thp, thp-pte, thp-SIZE, hugetlb-2M, hugetlb-1G) (from axis page, value at 4:20)",
    ]);
    expect(parseErrors(text.replace('$page', '$pgae'))).toEqual([
      "test.pin:6:29: unknown axis '$pgae'; did you mean '$page'? (expected '$page')",
    ]);
  });

  it('checks that a condition reads a register its thread sets', () => {
    expect(parseErrors(withOps('read buf -> r', 'exists (T0:q == "B") as z'))).toEqual([
      "test.pin:12:9: thread T0 never sets register 'q'",
    ]);
  });
});
