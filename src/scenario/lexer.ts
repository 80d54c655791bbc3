import { scenarioError, type Pos, type ScenarioError } from './errors.js';

/**
 * The scenario lexer. The language is line-oriented: every statement is one line, except the free-text
 * header fields (`intent:` and `source:`), whose text runs to the end of the line and continues on the
 * indented lines that follow (as a folded mail header). `#` starts a comment outside strings and
 * header text.
 */

export type TokenKind = 'word' | 'string' | 'var' | 'punct' | 'raw';

export interface Token {
  readonly kind: TokenKind;
  /** A word, a punctuation symbol, a string's decoded value, a `$var`'s name, or a line of header text. */
  readonly text: string;
  readonly line: number;
  readonly col: number;
  /** The column just past the token. */
  readonly end: number;
  /** Set on a token an axis value replaced: the axis and where its value is declared. */
  readonly axis?: { readonly name: string; readonly at: Pos };
}

/** One statement: its tokens, all on one source line (plus continuation lines for header text). */
export type Line = readonly Token[];

export interface Lexed {
  readonly lines: readonly Line[];
  /** The position just past the last line, for "missing ..." errors. */
  readonly end: Pos;
  readonly errors: readonly ScenarioError[];
}

/** The header fields whose value is free text. */
export const TEXT_FIELDS = ['intent', 'source'] as const;

const PUNCT = ['->', '..', '==', '!=', '/\\', '\\/', ':', '=', '(', ')', '[', ']', ',', '|', '~', ';'];
const WORD_CHAR = /[A-Za-z0-9_.-]/;
const TEXT_FIELD_LINE = new RegExp(`^(\\s*)(${TEXT_FIELDS.join('|')})\\s*:(.*)$`);

function isWordChar(line: string, i: number): boolean {
  const c = line[i];
  if (c === undefined || !WORD_CHAR.test(c)) return false;
  // `v4.19..v5.4` is three tokens, and `buf->r` is three too.
  if (c === '.' && line[i + 1] === '.') return false;
  if (c === '-' && line[i + 1] === '>') return false;
  return true;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/** Decode a string literal starting at `start` (the quote); returns the value and the index past it. */
function lexString(
  line: string,
  start: number,
  at: (i: number) => Pos,
  errors: ScenarioError[],
  file: string,
): { value: string; next: number } {
  let value = '';
  let i = start + 1;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '"') return { value, next: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = line[i + 1];
    if (e !== undefined && ESCAPES[e] !== undefined) {
      value += ESCAPES[e];
      i += 2;
      continue;
    }
    const u = /^u\{([0-9a-fA-F]{1,6})\}/.exec(line.slice(i + 1));
    const cp = u ? parseInt(u[1] as string, 16) : NaN;
    if (u && cp <= 0x10ffff) {
      value += String.fromCodePoint(cp);
      i += 1 + u[0].length;
      continue;
    }
    errors.push(
      scenarioError(file, at(i), `bad escape '\\${e ?? ''}' in a string`, [
        '\\"',
        '\\\\',
        '\\n',
        '\\t',
        '\\u{HEX}',
      ]),
    );
    i += 2;
  }
  errors.push(
    scenarioError(file, at(start), `unterminated string: expected a closing '"' before the end of the line`, [
      '"',
    ]),
  );
  return { value, next: line.length };
}

function lexLine(text: string, lineNo: number, file: string, errors: ScenarioError[]): Token[] {
  const out: Token[] = [];
  const at = (i: number): Pos => ({ line: lineNo, col: i + 1 });
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '"') {
      const { value, next } = lexString(text, i, at, errors, file);
      out.push({ kind: 'string', text: value, ...at(i), end: next + 1 });
      i = next;
      continue;
    }
    if (c === '$') {
      let j = i + 1;
      while (isWordChar(text, j)) j++;
      if (j === i + 1) errors.push(scenarioError(file, at(i), `expected an axis name after '$'`, ['$NAME']));
      else out.push({ kind: 'var', text: text.slice(i + 1, j), ...at(i), end: j + 1 });
      i = j;
      continue;
    }
    const p = PUNCT.find((s) => text.startsWith(s, i));
    if (p !== undefined) {
      out.push({ kind: 'punct', text: p, ...at(i), end: i + p.length + 1 });
      i += p.length;
      continue;
    }
    if (isWordChar(text, i)) {
      let j = i;
      while (isWordChar(text, j)) j++;
      out.push({ kind: 'word', text: text.slice(i, j), ...at(i), end: j + 1 });
      i = j;
      continue;
    }
    errors.push(scenarioError(file, at(i), `unexpected character '${c}'`));
    i++;
  }
  return out;
}

/** Split a scenario's text into statements of tokens. */
export function lex(text: string, file: string): Lexed {
  const errors: ScenarioError[] = [];
  const lines: Token[][] = [];
  const src = text.split('\n');
  // The statement whose header text the next indented line continues, if any.
  let textField: Token[] | null = null;
  src.forEach((raw, k) => {
    const lineNo = k + 1;
    const s = raw.replace(/\r$/, '');
    const field = TEXT_FIELD_LINE.exec(s);
    if (field) {
      const [, indent = '', key = '', rest = ''] = field;
      const col = indent.length + 1;
      const restStart = s.length - rest.length;
      const restText = rest.trim();
      const colon = s.indexOf(':', col - 1) + 1;
      const stmt: Token[] = [
        { kind: 'word', text: key, line: lineNo, col, end: col + key.length },
        { kind: 'punct', text: ':', line: lineNo, col: colon, end: colon + 1 },
      ];
      const restCol = restStart + rest.length - rest.trimStart().length + 1;
      if (restText !== '')
        stmt.push({
          kind: 'raw',
          text: restText,
          line: lineNo,
          col: restCol,
          end: restCol + restText.length,
        });
      lines.push(stmt);
      textField = stmt;
      return;
    }
    if (textField !== null && /^\s+\S/.test(s)) {
      const trimmed = s.trimStart();
      const col = s.length - trimmed.length + 1;
      const text = trimmed.trimEnd();
      textField.push({ kind: 'raw', text, line: lineNo, col, end: col + text.length });
      return;
    }
    textField = null;
    const tokens = lexLine(s, lineNo, file, errors);
    if (tokens.length > 0) lines.push(tokens);
  });
  const last = src.length;
  return { lines, end: { line: last, col: (src[last - 1] ?? '').length + 1 }, errors };
}
