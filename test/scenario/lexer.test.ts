import { describe, expect, it } from 'vitest';
import { lex } from '../../src/scenario/lexer.js';

const kinds = (text: string): string[][] =>
  lex(text, 'x.pin').lines.map((l) => l.map((t) => `${t.kind}:${t.text}@${t.line}:${t.col}`));

describe('lex', () => {
  it('splits a statement into words, strings and symbols with 1-based positions', () => {
    expect(kinds('read buf -> r1')).toEqual([
      ['word:read@1:1', 'word:buf@1:6', 'punct:->@1:10', 'word:r1@1:13'],
    ]);
  });

  it('splits release ranges and arrows even without spaces', () => {
    expect(kinds('v4.19..v5.4 buf->r ..v6.1')[0]?.map((t) => t.split('@')[0])).toEqual([
      'word:v4.19',
      'punct:..',
      'word:v5.4',
      'word:buf',
      'punct:->',
      'word:r',
      'punct:..',
      'word:v6.1',
    ]);
  });

  it('decodes escapes in strings and records the column past the closing quote', () => {
    const t = lex('write b "a\\"b\\\\c\\n\\u{1F600}"', 'x.pin').lines[0]?.[2];
    expect(t?.text).toBe('a"b\\c\n\u{1F600}');
    expect(t?.end).toBe(29);
  });

  it('drops comments and blank lines', () => {
    expect(kinds('# header\n\nfork C # the child\n')).toEqual([['word:fork@3:1', 'word:C@3:6']]);
  });

  it('keeps header text raw, with # and quotes, folding indented continuation lines', () => {
    const l = lex('intent: a "b" # c\n  d  e\nprocess P', 'x.pin').lines;
    expect(l[0]?.map((t) => t.text)).toEqual(['intent', ':', 'a "b" # c', 'd  e']);
    expect(l[0]?.[3]).toMatchObject({ line: 2, col: 3 });
    expect(l[1]?.map((t) => t.text)).toEqual(['process', 'P']);
  });

  it('ends header text at a blank line', () => {
    const l = lex('source: x\n\n  thread T in P', 'x.pin').lines;
    expect(l.map((x) => x.map((t) => t.kind))).toEqual([
      ['word', 'punct', 'raw'],
      ['word', 'word', 'word', 'word'],
    ]);
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(lex('write buf "abc', 'x.pin').errors).toEqual([
      {
        file: 'x.pin',
        line: 1,
        col: 11,
        message: `unterminated string: expected a closing '"' before the end of the line`,
        expected: ['"'],
      },
    ]);
  });

  it('reports a bad escape and a stray character', () => {
    expect(lex('write buf "a\\q"\n  @', 'x.pin').errors.map((e) => [e.line, e.col, e.message])).toEqual([
      [1, 13, `bad escape '\\q' in a string`],
      [2, 3, `unexpected character '@'`],
    ]);
  });

  it('reads $name as an axis variable', () => {
    expect(kinds('map b anon private page=$page')[0]?.[6]).toBe('var:page@1:25');
  });
});
