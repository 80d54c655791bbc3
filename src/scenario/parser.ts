import type { Expr, Prop } from '../check/condition.js';
import type { FsType } from '../model/include/fs.js';
import type { Op } from '../model/ops/index.js';
import type { AgentKind, PageSpec } from '../model/engine/program.js';
import type {
  AxisDecl,
  ExpectItem,
  ExprRef,
  MappingDecl,
  Named,
  OpStmt,
  ProcessDecl,
  ScenarioAst,
  Text,
  ThreadDecl,
} from './ast.js';
import { excerpt, oneOf, scenarioError, unknownMessage, type Pos, type ScenarioError } from './errors.js';
import { isOrdered, kernelRange, knownKernels } from './kernels.js';
import type { Line, Token } from './lexer.js';
import { OP_WORDS, PROTS, protOf, type OpReader, type OpRef } from './ops.js';
import { AGENT_KINDS, FILE_FLAGS, FS_TYPES, MAX_PAGE_INDEX, PAGE_WORDS, parsePage } from './pages.js';
import { EXPECTED_VERDICTS, type AxisValue, type ExpectedVerdict } from './types.js';

/**
 * The parser: statements (one per line) into a ScenarioAst, for one combination of axis values (the
 * `$axis` tokens are already replaced; see expand.ts). Names of files, processes and threads may be
 * used before their declaration: a first pass collects them.
 */

/** The words that start a statement outside a thread's operations. */
export const STATEMENT_WORDS = [
  'scenario',
  'intent',
  'source',
  'axis',
  'file',
  'pipe',
  'agent',
  'process',
  'map',
  'setup',
  'thread',
  'exists',
  'forall',
  'expect',
] as const;

/** What a condition may not be named without quotes, and what no process or thread may be called. */
export const RESERVED = ['disk', 'when', 'as', 'all', ...STATEMENT_WORDS];

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** How deep `not` and parentheses may nest in a condition: the input must not choose the stack's depth. */
export const MAX_NESTING = 64;
const INT = /^-?\d+$/;

function describe(t: Token | undefined): string {
  if (t === undefined) return 'the end of the line';
  switch (t.kind) {
    case 'string':
      return `string ${JSON.stringify(excerpt(t.text))}`;
    case 'var':
      return `'$${excerpt(t.text)}'`;
    case 'raw':
    case 'word':
    case 'punct':
      return `'${excerpt(t.text)}'`;
  }
}

/** Reads one line's tokens; reports the first error on the line only (the rest would be noise). */
class Cursor {
  private i = 0;
  failed = false;
  constructor(
    readonly tokens: Line,
    private readonly file: string,
    private readonly errors: ScenarioError[],
  ) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  /** Where the next token is, or just past the last one. */
  at(): Pos {
    const t = this.peek();
    if (t) return { line: t.line, col: t.col };
    const last = this.tokens[this.tokens.length - 1];
    return last ? { line: last.line, col: last.end } : { line: 1, col: 1 };
  }
  /** Report at `at` (a position, or a token already taken), by default at the next token. */
  fail(message: string, expected?: readonly string[], at?: Pos | Token): void {
    if (this.failed) return;
    this.failed = true;
    const t = at === undefined ? this.peek() : 'kind' in at ? at : undefined;
    const from = t?.axis
      ? ` (from axis ${excerpt(t.axis.name)}, value at ${t.axis.at.line}:${t.axis.at.col})`
      : '';
    const where = at === undefined ? this.at() : { line: at.line, col: at.col };
    this.errors.push(scenarioError(this.file, where, message + from, expected));
  }
  isWord(w?: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && (w === undefined || t.text === w);
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === p;
  }
  acceptWord(w: string): Token | null {
    return this.isWord(w) ? (this.next() ?? null) : null;
  }
  acceptAny<W extends string>(words: readonly W[]): W | null {
    const t = this.peek();
    const w = words.find((x) => t?.kind === 'word' && t.text === x);
    if (w !== undefined) this.i++;
    return w ?? null;
  }
  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }
  /** A word (any, or matching `re`); `what` names it in the error. */
  word(what: string, expected?: readonly string[], re?: RegExp): Token | null {
    const t = this.peek();
    if (t?.kind === 'word' && (re === undefined || re.test(t.text))) return this.next() ?? null;
    this.fail(`expected ${what}, found ${describe(t)}`, expected);
    return null;
  }
  name(what: string): Named | null {
    const t = this.word(what, undefined, NAME);
    return t ? { name: t.text, at: { line: t.line, col: t.col } } : null;
  }
  /** A name given as a word or a string (scenario and condition names). */
  label(what: string): Named | null {
    const t = this.peek();
    if (t?.kind === 'string' || t?.kind === 'word') {
      this.i++;
      return { name: t.text, at: { line: t.line, col: t.col } };
    }
    this.fail(`expected ${what}, found ${describe(t)}`);
    return null;
  }
  /** A non-negative integer, at most `max` (a bigger one would change or allocate without bound). */
  int(what: string, max: number): number {
    const t = this.word(what, undefined, /^\d+$/);
    if (t === null) return 0;
    const n = Number(t.text);
    if (n <= max) return n;
    this.fail(`${what} ${excerpt(t.text)} is too large: at most ${max}`, undefined, t);
    return 0;
  }
  string(what: string): string | null {
    const t = this.peek();
    if (t?.kind === 'string') {
      this.i++;
      return t.text;
    }
    this.fail(`expected ${what}, found ${describe(t)}`, ['"..."']);
    return null;
  }
  punct(p: string, context: string): boolean {
    if (this.acceptPunct(p)) return true;
    this.fail(`expected '${p}' ${context}, found ${describe(this.peek())}`, [p]);
    return false;
  }
  /** A required keyword such as `in` or `on`. */
  keyword(word: string, context: string): boolean {
    if (this.acceptWord(word)) return true;
    this.fail(`expected '${word}' ${context}, found ${describe(this.peek())}`, [word]);
    return false;
  }
  choice<W extends string>(what: string, words: readonly W[]): W | null {
    const t = this.peek();
    const w = words.find((x) => t?.kind === 'word' && t.text === x);
    if (w !== undefined) {
      this.i++;
      return w;
    }
    if (t?.kind === 'word') this.fail(unknownMessage(what, t.text, words), words);
    else this.fail(`expected ${what} (${oneOf(words)}), found ${describe(t)}`, words);
    return null;
  }
  end(after: string): void {
    const t = this.peek();
    if (t !== undefined) this.fail(`unexpected ${describe(t)} after ${after}; expected the end of the line`);
  }
}

/** Names declared anywhere in the file, in order (the first declaration of a name wins). */
interface Declared {
  readonly files: readonly string[];
  readonly pipes: readonly string[];
  readonly processes: readonly string[];
  readonly threads: readonly string[];
}

function declared(lines: readonly Line[]): Declared {
  const pick = (kw: string): string[] =>
    lines.filter((l) => l[0]?.kind === 'word' && l[0].text === kw).map((l) => l[1]?.text ?? '');
  return { files: pick('file'), pipes: pick('pipe'), processes: pick('process'), threads: pick('thread') };
}

type Block =
  | { readonly kind: 'none' }
  | { readonly kind: 'process'; readonly p: ProcessDecl }
  | { readonly kind: 'setup' }
  | { readonly kind: 'thread'; readonly t: ThreadDecl };

export interface ParseContext {
  readonly file: string;
  /** The axis values of this expansion (empty when the file declares no axis). */
  readonly binding: readonly AxisValue[];
  /** The file's axes (parseAxes), for `expect ... when AXIS=VALUE`. */
  readonly axes: readonly AxisDecl[];
}

export interface Parsed {
  readonly ast: ScenarioAst;
  readonly errors: readonly ScenarioError[];
}

const pos = (t: Token): Pos => ({ line: t.line, col: t.col });

/** How a name the scenario uses but never declared is declared, for the error that names it. */
const DECLARE: Readonly<Record<string, string>> = {
  process: `; declare it: 'process NAME' ('process NAME forked' when a 'fork NAME' creates it)`,
  file: `; declare it: 'file NAME FS = "DATA"'`,
  pipe: `; declare it: 'pipe NAME'`,
  thread: `; declare it: 'thread NAME in PROCESS'`,
};

class Parser {
  readonly errors: ScenarioError[] = [];
  readonly ast: ScenarioAst = {
    name: null,
    intent: null,
    source: null,
    axes: [],
    files: [],
    pipes: [],
    agents: [],
    processes: [],
    setup: [],
    threads: [],
    conditions: [],
    expects: [],
  };
  private block: Block = { kind: 'none' };
  private readonly decl: Declared;

  constructor(
    private readonly lines: readonly Line[],
    private readonly ctx: ParseContext,
  ) {
    this.decl = declared(lines);
  }

  private cursor(line: Line): Cursor {
    return new Cursor(line, this.ctx.file, this.errors);
  }

  private error(at: Pos, message: string, expected?: readonly string[]): void {
    this.errors.push(scenarioError(this.ctx.file, at, message, expected));
  }

  run(): Parsed {
    for (const line of this.lines) this.statement(line);
    return { ast: this.ast, errors: this.errors };
  }

  private statement(line: Line): void {
    const first = line[0];
    if (first === undefined) return;
    const c = this.cursor(line);
    const kw = first.kind === 'word' ? first.text : '';
    switch (kw) {
      case 'scenario':
      case 'intent':
      case 'source':
      case 'axis':
      case 'file':
      case 'pipe':
      case 'agent':
      case 'process':
      case 'setup':
      case 'thread':
      case 'exists':
      case 'forall':
      case 'expect':
        c.next();
        this.block = { kind: 'none' };
        this.section(kw, c, first);
        return;
      case 'map':
        c.next();
        if (this.block.kind === 'process') this.mapping(c, this.block.p, first);
        else
          this.error(pos(first), `'map' must follow a 'process NAME' line: it declares one of its mappings`);
        return;
      default:
        break;
    }
    if (this.block.kind === 'thread') {
      const stmt = this.op(c);
      if (stmt) this.block.t.ops.push(stmt);
      return;
    }
    if (this.block.kind === 'setup') {
      this.setupOp(c);
      return;
    }
    if (this.block.kind === 'process' && first.kind === 'word' && OP_WORDS.has(first.text)) {
      this.error(pos(first), `operations go under a 'thread NAME in PROCESS' line, not under a process`);
      return;
    }
    const words = STATEMENT_WORDS.map((w) => (w === 'intent' || w === 'source' ? `${w}:` : w));
    if (first.kind === 'word') this.error(pos(first), unknownMessage('statement', first.text, words), words);
    else this.error(pos(first), `expected a statement, found ${describe(first)}`, words);
  }

  private section(kw: string, c: Cursor, first: Token): void {
    switch (kw) {
      case 'scenario': {
        if (this.ast.name) return this.duplicate('scenario', first, this.ast.name.at);
        const name = c.label('the scenario name');
        c.end('the scenario name');
        if (name) this.ast.name = { name: name.name, at: pos(first) };
        return;
      }
      case 'intent':
      case 'source': {
        const prev = this.ast[kw];
        if (prev) return this.duplicate(`${kw}:`, first, prev.at);
        c.punct(':', `after '${kw}'`);
        const parts: string[] = [];
        for (let t = c.next(); t !== undefined; t = c.next()) parts.push(t.text);
        const text = parts.join(' ').replace(/\s+/g, ' ').trim();
        if (text === '')
          this.error(
            c.at(),
            kw === 'intent'
              ? `expected a paragraph after 'intent:' saying what the scenario does and what goes wrong`
              : `expected the seed message, commit or CVE after 'source:'`,
          );
        const field: Text = { text, at: pos(first) };
        if (kw === 'intent') this.ast.intent = field;
        else this.ast.source = field;
        return;
      }
      case 'axis':
        return this.axis(c, first);
      case 'file':
        return this.fileDecl(c, first);
      case 'pipe': {
        const name = c.name('a pipe name');
        c.end('the pipe name');
        if (name) this.ast.pipes.push(name);
        return;
      }
      case 'agent': {
        const kind = c.choice<AgentKind>('kernel agent', AGENT_KINDS);
        c.end('the agent');
        if (kind) this.ast.agents.push({ kind, at: pos(first) });
        return;
      }
      case 'process': {
        const name = c.name('a process name');
        const forked = c.acceptWord('forked') !== null;
        c.end(forked ? `'forked'` : 'the process name');
        const p: ProcessDecl = { name: name?.name ?? '', at: name?.at ?? pos(first), forked, mappings: [] };
        if (name) this.ast.processes.push(p);
        this.block = { kind: 'process', p };
        return;
      }
      case 'setup':
        c.end(`'setup' (its operations follow, one per line, as 'THREAD: OP')`);
        this.block = { kind: 'setup' };
        return;
      case 'thread': {
        const name = c.name('a thread name');
        if (name) c.keyword('in', `after the thread name (thread ${excerpt(name.name)} in PROCESS)`);
        const proc = c.failed ? null : this.processRef(c);
        c.end('the process name');
        const t: ThreadDecl = {
          name: name?.name ?? '',
          at: name?.at ?? pos(first),
          process: proc ?? -1,
          ops: [],
        };
        // A thread line with an error still opens its block, so that its operations are checked.
        if (!c.failed) this.ast.threads.push(t);
        this.block = { kind: 'thread', t };
        return;
      }
      case 'exists':
      case 'forall':
        return this.condition(c, kw, first);
      case 'expect':
        return this.expect(c, first);
    }
  }

  private duplicate(what: string, t: Token, first: Pos): void {
    this.error(pos(t), `duplicate '${what}' (the first is at ${first.line}:${first.col})`);
  }

  private axis(c: Cursor, first: Token): void {
    const name = c.name('an axis name');
    if (!name) return;
    c.punct('=', `after the axis name (axis ${excerpt(name.name)} = VALUE | VALUE ...)`);
    const values: Named[] = [];
    do {
      const v = c.label('an axis value');
      if (!v) return;
      values.push(v);
    } while (c.acceptPunct('|'));
    c.end('the axis values');
    this.ast.axes.push({ name: name.name, at: pos(first), values });
  }

  private fileDecl(c: Cursor, first: Token): void {
    const name = c.name('a file name');
    const fs = c.choice<FsType>('filesystem', FS_TYPES);
    let integrity: boolean | null = null;
    let stableWrites: boolean | null = null;
    for (let w = c.acceptAny(FILE_FLAGS); w !== null; w = c.acceptAny(FILE_FLAGS))
      if (w === 'integrity' || w === 'no-integrity') integrity = w === 'integrity';
      else stableWrites = w === 'stable-writes';
    const pages: string[] = [];
    if (c.acceptPunct('=')) {
      if (c.peek() === undefined)
        c.fail(`expected the file's pages after '=', one string per page`, ['"..."']);
      while (c.peek() !== undefined && !c.failed) {
        const p = c.string(`a page's contents`);
        if (p !== null) pages.push(p);
      }
    }
    c.end(`the file's pages (file NAME FS [integrity] [stable-writes] = "PAGE0" "PAGE1" ...)`);
    if (name && fs)
      this.ast.files.push({ name: name.name, at: pos(first), fs, pages, integrity, stableWrites });
  }

  private mapping(c: Cursor, p: ProcessDecl, first: Token): void {
    const name = c.name('a buffer name');
    const kind = c.choice('mapping kind', ['anon', 'file'] as const);
    let fileAt: Pos | null = null;
    let file = -1;
    if (kind === 'file') {
      fileAt = c.at();
      file = this.fileRef(c) ?? -1;
    }
    const sharing = c.choice('sharing', ['private', 'shared'] as const);
    let page: PageSpec = { kind: 'base' };
    let pageAt: Pos | null = null;
    let pgoff = 0;
    let prot = protOf('rw');
    const attrs = ['page=...', 'pgoff=N', ...PROTS];
    while (c.peek() !== undefined && !c.failed) {
      const t = c.peek() as Token;
      const p2 = PROTS.find((x) => t.kind === 'word' && t.text === x);
      if (p2 !== undefined) {
        c.next();
        prot = protOf(p2);
        continue;
      }
      if (t.kind === 'word' && (t.text === 'page' || t.text === 'pgoff') && c.peek(1)?.text === '=') {
        c.next();
        c.next();
        if (t.text === 'pgoff') {
          pgoff = c.int('a page offset', MAX_PAGE_INDEX);
          continue;
        }
        pageAt = c.at();
        const v = c.word('a page kind', PAGE_WORDS);
        const spec = v ? parsePage(v.text) : null;
        if (v && spec === null) c.fail(unknownMessage('page kind', v.text, PAGE_WORDS), PAGE_WORDS, v);
        if (spec) page = spec;
        continue;
      }
      c.fail(`unexpected ${describe(t)} in a mapping; expected ${oneOf(attrs)}`, attrs);
    }
    if (!name || !kind || !sharing || c.failed) return;
    p.mappings.push({
      spec: {
        name: name.name,
        backing: kind === 'anon' ? { type: 'anon' } : { type: 'file', file, pgoff },
        shared: sharing === 'shared',
        page,
        read: prot.read,
        write: prot.write,
      },
      at: pos(first),
      fileAt,
      pageAt,
    } satisfies MappingDecl);
  }

  private fileRef(c: Cursor): number | null {
    return this.resolve(c, 'file', this.decl.files);
  }
  private processRef(c: Cursor): number | null {
    return this.resolve(c, 'process', this.decl.processes);
  }
  private fileName(c: Cursor): string {
    const i = this.fileRef(c);
    return i === null ? '' : (this.decl.files[i] ?? '');
  }
  private pipeRef(c: Cursor): string | null {
    const i = this.resolve(c, 'pipe', this.decl.pipes);
    return i === null ? null : (this.decl.pipes[i] ?? null);
  }
  private threadRef(c: Cursor): number | null {
    return this.resolve(c, 'thread', this.decl.threads);
  }

  private resolve(c: Cursor, what: string, known: readonly string[]): number | null {
    const t = c.word(`a ${what} name`, known);
    if (!t) return null;
    const i = known.indexOf(t.text);
    if (i < 0) {
      const how = DECLARE[what]?.replaceAll('NAME', t.text) ?? '';
      c.fail(`${unknownMessage(what, t.text, known)}${how}`, known, t);
      return null;
    }
    return i;
  }

  private setupOp(c: Cursor): void {
    const t = c.peek();
    const actor = this.threadRef(c);
    if (actor === null || !t) return;
    if (!c.punct(':', `after the thread name (setup operations are written 'THREAD: OP')`)) return;
    const stmt = this.op(c);
    if (stmt) this.ast.setup.push({ actor, actorAt: pos(t), stmt });
  }

  private op(c: Cursor): OpStmt | null {
    const t = c.peek();
    const words = [...OP_WORDS.keys()];
    if (t?.kind !== 'word') {
      c.fail(`expected an operation, found ${describe(t)}`, words);
      return null;
    }
    const second = c.peek(1);
    const two = second?.kind === 'word' ? `${t.text} ${second.text}` : '';
    const word = OP_WORDS.has(two) ? two : t.text;
    const syntax = OP_WORDS.get(word);
    if (syntax === undefined) {
      const prefix = words.filter((w) => w.startsWith(`${t.text} `));
      if (prefix.length > 0)
        c.fail(`expected ${oneOf(prefix)}, found ${describe(t)} ${describe(second)}`, prefix);
      else c.fail(unknownMessage('operation', t.text, words), words);
      return null;
    }
    c.next();
    if (word === two) c.next();
    const refs: OpRef[] = [];
    const reader = this.opReader(c, refs);
    const op: Op = syntax.read(reader, word);
    c.end(`'${syntax.forms.join("' or '")}'`);
    return c.failed ? null : { op, at: pos(t), refs };
  }

  private opReader(c: Cursor, refs: OpRef[]): OpReader {
    const named = (
      what: string,
      kind: 'buf' | 'handle-use' | 'handle-def' | 'reg-def' | 'io-def' | 'io-use',
    ): string => {
      const at = c.at();
      const n = c.name(what);
      if (n) refs.push({ kind, name: n.name, at });
      return n?.name ?? '';
    };
    return {
      peek: () => (c.isWord() ? c.peek()?.text : undefined),
      accept: (words) => c.acceptAny(words),
      expect: (w) => {
        if (/^\w/.test(w) ? c.acceptWord(w) === null : !c.acceptPunct(w))
          c.fail(`expected '${w}', found ${describe(c.peek())}`, [w]);
      },
      buf: () => named('a buffer name', 'buf'),
      handleUse: () => named('a handle name', 'handle-use'),
      handleDef: (reg) => {
        const at = c.at();
        const name = named('a handle name', 'handle-def');
        if (reg && name !== '') refs.push({ kind: 'reg-def', name, at });
        return name;
      },
      regDef: () => named('a register name', 'reg-def'),
      process: (use = 'fork') => {
        const at = c.at();
        const i = this.processRef(c);
        if (i !== null) refs.push({ kind: use, process: i, at });
        return i ?? -1;
      },
      file: () => this.fileName(c),
      filePage: () => {
        const file = this.fileName(c);
        c.punct('[', `after the file name (${file}[PAGE])`);
        const index = c.int('a page index', MAX_PAGE_INDEX);
        c.punct(']', 'after the page index');
        return { file, index };
      },
      ioDef: () => named('a name for the I/O', 'io-def'),
      ioUse: () => named('the name of an asynchronous I/O', 'io-use'),
      pipe: () => {
        const at = c.at();
        const name = this.pipeRef(c);
        if (name !== null) refs.push({ kind: 'pipe', name, at });
        return name ?? '';
      },
      data: () => c.string('the data, as a string such as "B"') ?? '',
      number: (what, max) => c.int(what, max),
      choice: <W extends string>(what: string, words: readonly W[]): W =>
        c.choice(what, words) ?? (words[0] as W),
    };
  }

  // ---- conditions ----

  private condition(c: Cursor, quantifier: 'exists' | 'forall', first: Token): void {
    const refs: ExprRef[] = [];
    const prop = this.or(c, refs, 0);
    let name: Named | null = null;
    if (c.acceptWord('as')) name = c.label('a condition name');
    c.end(`the condition (${quantifier} (PROP) [as NAME])`);
    if (prop && !c.failed) this.ast.conditions.push({ quantifier, prop, name, at: pos(first), refs });
  }

  private or(c: Cursor, refs: ExprRef[], depth: number): Prop | null {
    const args: Prop[] = [];
    do {
      const p = this.and(c, refs, depth);
      if (!p) return null;
      args.push(p);
    } while (c.acceptWord('or') || c.acceptPunct('\\/'));
    return args.length === 1 ? (args[0] as Prop) : { kind: 'or', args };
  }

  private and(c: Cursor, refs: ExprRef[], depth: number): Prop | null {
    const args: Prop[] = [];
    do {
      const p = this.unary(c, refs, depth);
      if (!p) return null;
      args.push(p);
    } while (c.acceptWord('and') || c.acceptPunct('/\\'));
    return args.length === 1 ? (args[0] as Prop) : { kind: 'and', args };
  }

  private unary(c: Cursor, refs: ExprRef[], depth: number): Prop | null {
    const nests = c.isWord('not') || c.isPunct('~') || c.isPunct('(');
    if (nests && depth >= MAX_NESTING) {
      c.fail(`the condition nests 'not' and parentheses deeper than ${MAX_NESTING} levels`);
      return null;
    }
    if (c.acceptWord('not') || c.acceptPunct('~')) {
      const arg = this.unary(c, refs, depth + 1);
      return arg && { kind: 'not', arg };
    }
    if (c.acceptPunct('(')) {
      const p = this.or(c, refs, depth + 1);
      if (p && !c.punct(')', 'to close the parenthesis')) return null;
      return p;
    }
    const left = this.expr(c, refs);
    if (!left) return null;
    const cmp = ['==', '!=', '='].find((p) => c.acceptPunct(p));
    if (cmp === undefined) {
      c.fail(`expected '==' or '!=' after the operand, found ${describe(c.peek())}`, ['==', '!=']);
      return null;
    }
    const right = this.expr(c, refs);
    return right && { kind: cmp === '!=' ? 'ne' : 'eq', left, right };
  }

  private expr(c: Cursor, refs: ExprRef[]): Expr | null {
    const t = c.peek();
    const forms = ['THREAD:REG', 'PROCESS:BUF', 'disk:FILE[N]', '"STRING"'];
    if (t?.kind === 'string') {
      c.next();
      return { kind: 'lit', value: t.text };
    }
    if (t?.kind === 'word' && INT.test(t.text)) {
      c.next();
      return { kind: 'lit', value: t.text };
    }
    if (t?.kind !== 'word' || c.peek(1)?.text !== ':') {
      c.fail(`expected ${oneOf(forms)}, found ${describe(t)}`, forms);
      return null;
    }
    const at = pos(t);
    if (t.text === 'disk') {
      c.next();
      c.next();
      const file = this.fileRef(c);
      if (file === null || !c.punct('[', 'after the file name (disk:FILE[N])')) return null;
      const page = c.int('a page index', MAX_PAGE_INDEX);
      if (!c.punct(']', 'after the page index')) return null;
      refs.push({ kind: 'disk', file, page, at });
      return { kind: 'disk', file, page };
    }
    const scope = t.text;
    const thread = this.decl.threads.indexOf(scope);
    const proc = this.decl.processes.indexOf(scope);
    if (thread < 0 && proc < 0) {
      const known = [...this.decl.threads, ...this.decl.processes];
      c.fail(unknownMessage('thread or process', scope, known), known);
      return null;
    }
    c.next();
    c.next();
    const name = c.name(thread >= 0 ? 'a register name' : 'a buffer name');
    if (!name) return null;
    if (thread >= 0) {
      refs.push({ kind: 'reg', actor: thread, reg: name.name, at });
      return { kind: 'reg', actor: thread, reg: name.name };
    }
    refs.push({ kind: 'mem', process: proc, buf: name.name, at });
    return { kind: 'mem', process: proc, buf: name.name };
  }

  // ---- expectations ----

  private expect(c: Cursor, first: Token): void {
    let condition: Named | null = null;
    if (!c.isPunct(':') && !c.isWord('when')) condition = c.label('a condition name');
    let applies = true;
    if (c.acceptWord('when')) applies = this.when(c);
    c.punct(':', `before the verdicts (expect [CONDITION] [when AXIS=VALUE]: VERDICT on KERNELS, ...)`);
    const items: ExpectItem[] = [];
    for (;;) {
      const verdict = c.choice<ExpectedVerdict>('verdict', EXPECTED_VERDICTS);
      if (!verdict || !c.keyword('on', `after the verdict (${verdict} on KERNELS)`)) return;
      for (;;) {
        if (!this.kernels(c, verdict, items)) return;
        if (!c.isPunct(',') || this.verdictAfterComma(c)) break;
        c.next();
      }
      if (!c.acceptPunct(',')) break;
    }
    c.end('the expected verdicts');
    if (applies && !c.failed) this.ast.expects.push({ condition, at: pos(first), items });
  }

  private verdictAfterComma(c: Cursor): boolean {
    const t = c.peek(1);
    return t?.kind === 'word' && (EXPECTED_VERDICTS as readonly string[]).includes(t.text);
  }

  /** `when AXIS=V[|V] ...`: whether this expansion's axis values match. */
  private when(c: Cursor): boolean {
    let match = true;
    do {
      const axisTok = c.peek();
      const name = c.name('an axis name');
      if (!name || !axisTok) return false;
      const axis = this.ctx.axes.find((a) => a.name === name.name);
      if (!axis) {
        const known = this.ctx.axes.map((a) => a.name);
        c.fail(unknownMessage('axis', name.name, known), known, name.at);
        return false;
      }
      if (!c.punct('=', `after the axis name (when ${excerpt(name.name)}=VALUE)`)) return false;
      const values: string[] = [];
      do {
        const v = c.label('an axis value');
        if (!v) return false;
        if (!axis.values.some((x) => x.name === v.name)) {
          const known = axis.values.map((x) => x.name);
          c.fail(unknownMessage(`value of axis ${excerpt(axis.name)}`, v.name, known), known, v.at);
          return false;
        }
        values.push(v.name);
      } while (c.acceptPunct('|'));
      const bound = this.ctx.binding.find((b) => b.axis === axis.name);
      if (bound && !values.includes(bound.value)) match = false;
    } while (c.isWord() && !c.isPunct(':'));
    return match;
  }

  /** One kernel list item: `all`, `vA..vB`, `vA..`, `..vB`, `vA` (a release or a stable series), or a variant's name. */
  private kernels(c: Cursor, verdict: ExpectedVerdict, items: ExpectItem[]): boolean {
    const at = c.at();
    const push = (ks: readonly string[]): true => {
      for (const kernel of ks) items.push({ kernel, verdict, at });
      return true;
    };
    const release = (): string | null | undefined => {
      const t = c.word('a release', this.releaseHint());
      if (!t) return undefined;
      if (isOrdered(t.text)) return t.text;
      c.fail(unknownMessage('release', t.text, this.releaseHint()), this.releaseHint(), t);
      return undefined;
    };
    if (c.acceptWord('all')) return push(kernelRange(null, null));
    if (c.acceptPunct('..')) {
      const to = release();
      return to !== undefined && push(kernelRange(null, to));
    }
    const t = c.peek();
    if (t?.kind === 'word' && !isOrdered(t.text) && knownKernels().includes(t.text)) {
      c.next();
      return push([t.text]);
    }
    const from = release();
    if (from === undefined || from === null) return false;
    if (!c.acceptPunct('..')) return push([from]);
    const next = c.peek();
    const open = next === undefined || next.kind !== 'word';
    const to = open ? null : release();
    if (to === undefined) return false;
    const range = kernelRange(from, to);
    if (range.length === 0) {
      c.fail(`empty release range ${from}..${to ?? ''}: ${from} is newer than ${to ?? ''}`, undefined, at);
      return false;
    }
    return push(range);
  }

  private releaseHint(): string[] {
    return [...knownKernels(), 'all'];
  }
}

/** Parse the statements of one expansion of a scenario file. */
export function parseStatements(lines: readonly Line[], ctx: ParseContext): Parsed {
  return new Parser(lines, ctx).run();
}

/** The axis declarations of a file, read before expansion (their values cannot use axes). */
export function parseAxes(
  lines: readonly Line[],
  file: string,
): { axes: AxisDecl[]; errors: ScenarioError[] } {
  const p = new Parser(
    lines.filter((l) => l[0]?.kind === 'word' && l[0].text === 'axis'),
    { file, binding: [], axes: [] },
  );
  const { ast, errors } = p.run();
  return { axes: ast.axes, errors: [...errors] };
}
