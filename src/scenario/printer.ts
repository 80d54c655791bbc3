import type { Condition, Expr, Prop } from '../check/condition.js';
import type { MappingSpec, Program } from '../model/engine/program.js';
import { kernelListText, kernelRank } from './kernels.js';
import { TEXT_FIELDS } from './lexer.js';
import { opSyntax, protWord, type OpPrinter } from './ops.js';
import { pageWord } from './pages.js';
import type { AxisValue, ExpectedVerdict, Scenario } from './types.js';

/**
 * The printer: a Scenario back to text that parses to the same Scenario (the canonical form: defaults
 * left out, expectations merged into ranges, one `expect` line per condition).
 */

const WIDTH = 100;
const BARE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A string literal: quotes and backslashes escaped, control characters as \n, \t or \u{HEX}. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A name as a bare word when it lexes as one word, else as a string. */
export function label(s: string, reserved: readonly string[] = []): string {
  return BARE.test(s) && !s.includes('..') && !s.includes('->') && !reserved.includes(s) ? s : quote(s);
}

/** Names of a program's parts by index, for printing references. */
export interface Names {
  actor(i: number): string;
  process(i: number): string;
  file(i: number): string;
}

export function programNames(p: Program): Names {
  return {
    actor: (i) => p.actors[i]?.name ?? `?${i}`,
    process: (i) => p.processes[i]?.name ?? `?${i}`,
    file: (i) => p.files[i]?.name ?? `?${i}`,
  };
}

export function exprText(e: Expr, n: Names): string {
  switch (e.kind) {
    case 'reg':
      return `${n.actor(e.actor)}:${e.reg}`;
    case 'mem':
      return `${n.process(e.process)}:${e.buf}`;
    case 'disk':
      return `disk:${n.file(e.file)}[${e.page}]`;
    case 'lit':
      return quote(e.value);
  }
}

function unaryText(p: Prop, n: Names): string {
  switch (p.kind) {
    case 'eq':
    case 'ne':
      return `${exprText(p.left, n)} ${p.kind === 'eq' ? '==' : '!='} ${exprText(p.right, n)}`;
    case 'not':
      return `not ${unaryText(p.arg, n)}`;
    case 'and':
    case 'or':
      return `(${propText(p, n)})`;
  }
}

/** A proposition with `and`, `or`, `not` and the parentheses its structure needs. */
export function propText(p: Prop, n: Names): string {
  switch (p.kind) {
    case 'and':
      return p.args.map((a) => unaryText(a, n)).join(' and ');
    case 'or':
      return p.args.map((a) => unaryText(a, n)).join(' or ');
    case 'eq':
    case 'ne':
    case 'not':
      return unaryText(p, n);
  }
}

/** `exists (PROP)`: also the name of a condition that has no `as NAME`. */
export function conditionText(c: Pick<Condition, 'quantifier' | 'prop'>, n: Names): string {
  return `${c.quantifier} (${propText(c.prop, n)})`;
}

/** `[page=thp,fs=ext4]`, the suffix axis values add to a scenario's name and id. */
export function axisSuffix(axes: readonly AxisValue[]): string {
  return axes.length === 0 ? '' : `[${axes.map((a) => `${a.axis}=${a.value}`).join(',')}]`;
}

/** Whether a continuation line starting at `words[i]` would read as a header line of its own. */
function startsField(words: readonly string[], i: number): boolean {
  const w = words[i] ?? '';
  return TEXT_FIELDS.some((f) => w.startsWith(`${f}:`) || (w === f && words[i + 1]?.startsWith(':')));
}

function wrap(key: string, text: string): string[] {
  const lines: string[] = [];
  let cur = `${key}:`;
  const words = text.split(' ');
  for (const [i, word] of words.entries()) {
    const full = cur.length + 1 + word.length > WIDTH && cur.trim() !== `${key}:`;
    if (full && !startsField(words, i)) {
      lines.push(cur);
      cur = ' ';
    }
    cur += ` ${word}`;
  }
  lines.push(cur);
  return lines;
}

function mappingText(m: MappingSpec, p: Program): string {
  const words = ['map', m.name];
  if (m.backing.type === 'anon') words.push('anon');
  else words.push('file', p.files[m.backing.file]?.name ?? `?${m.backing.file}`);
  words.push(m.shared ? 'shared' : 'private');
  if (m.page.kind !== 'base') words.push(`page=${pageWord(m.page)}`);
  if (m.backing.type === 'file' && m.backing.pgoff !== 0) words.push(`pgoff=${m.backing.pgoff}`);
  if (!(m.read && m.write)) words.push(protWord(m.read, m.write));
  return words.join(' ');
}

function expectLines(s: Scenario): string[] {
  const out: string[] = [];
  const names = [...new Set([...s.conditions.map((c) => c.name), ...s.expectations.map((e) => e.condition)])];
  for (const cond of names) {
    const mine = s.expectations.filter((e) => e.condition === cond);
    if (mine.length === 0) continue;
    const byVerdict = new Map<ExpectedVerdict, string[]>();
    for (const e of [...mine].sort((a, b) => kernelRank(a.kernel) - kernelRank(b.kernel))) {
      const list = byVerdict.get(e.verdict) ?? [];
      list.push(e.kernel);
      byVerdict.set(e.verdict, list);
    }
    const clauses = [...byVerdict].map(([v, ks]) => `${v} on ${kernelListText(ks)}`);
    // The only condition may go unnamed (it usually is when it has no `as NAME`).
    const single = s.conditions.length === 1 && s.conditions[0]?.name === cond;
    const head = single && label(cond) !== cond ? 'expect' : `expect ${label(cond, ['when'])}`;
    out.push(`${head}: ${clauses.join(', ')}`);
  }
  return out;
}

/** The canonical text of a scenario. */
export function printScenario(s: Scenario): string {
  const p = s.program;
  const n = programNames(p);
  const suffix = axisSuffix(s.axes);
  const base = suffix !== '' && s.name.endsWith(suffix) ? s.name.slice(0, -suffix.length) : s.name;
  const out: string[] = [`scenario ${label(base)}`, ...wrap('intent', s.intent), ...wrap('source', s.source)];
  if (s.axes.length > 0) {
    out.push('');
    for (const a of s.axes) out.push(`axis ${a.axis} = ${label(a.value)}`);
  }
  if (p.files.length > 0) out.push('');
  for (const f of p.files) {
    const words = ['file', f.name, f.fs];
    if (f.integrity !== undefined) words.push(f.integrity ? 'integrity' : 'no-integrity');
    if (f.stableWrites !== undefined) words.push(f.stableWrites ? 'stable-writes' : 'no-stable-writes');
    if (f.pages.length > 0) words.push('=', ...f.pages.map(quote));
    out.push(words.join(' '));
  }
  if ((p.pipes ?? []).length > 0) out.push('');
  for (const name of p.pipes ?? []) out.push(`pipe ${name}`);
  if ((p.agents ?? []).length > 0) out.push('');
  for (const a of p.agents ?? []) out.push(`agent ${a}`);
  out.push('');
  for (const proc of p.processes) {
    out.push(`process ${proc.name}${proc.forked ? ' forked' : ''}`);
    for (const m of proc.mappings) out.push(`  ${mappingText(m, p)}`);
  }
  const printer: OpPrinter = { process: (i) => n.process(i), str: quote };
  if (p.setup.length > 0) {
    out.push('', 'setup');
    for (const [actor, op] of p.setup) out.push(`  ${n.actor(actor)}: ${opSyntax(op).print(op, printer)}`);
  }
  for (const a of p.actors) {
    out.push('', `thread ${a.name} in ${n.process(a.process)}`);
    for (const op of a.ops) out.push(`  ${opSyntax(op).print(op, printer)}`);
  }
  out.push('');
  for (const c of s.conditions) {
    const text = conditionText(c, n);
    out.push(c.name === text ? text : `${text} as ${label(c.name)}`);
  }
  const expects = expectLines(s);
  if (expects.length > 0) out.push('', ...expects);
  return `${out.join('\n')}\n`;
}
