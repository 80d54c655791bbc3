import { scenarioError, sortErrors, unknownMessage, type Pos, type ScenarioError } from './errors.js';

const at = (p: Pos): string => `${p.line}:${p.col}`;
import { lex, type Line, type Token } from './lexer.js';
import { lower } from './lower.js';
import { parseAxes, parseStatements } from './parser.js';
import type { AxisValue, ParsedScenario, ParseResult } from './types.js';
import { validate } from './validate.js';

/**
 * Matrix axes. `axis page = base | thp` declares an axis; `$page` anywhere else in the file stands for
 * its value. The file is parsed once per combination of axis values (the cross product, in declaration
 * order), each giving one Scenario with the values in its name. An error the axes do not change is
 * reported once.
 */

/** How many scenarios a file's axes may expand to: checked before any is built. */
export const MAX_EXPANSIONS = 256;

interface Axis {
  readonly name: string;
  readonly values: readonly Token[];
}

const isAxisLine = (l: Line): boolean => l[0]?.kind === 'word' && l[0].text === 'axis';

function axesOf(lines: readonly Line[]): Axis[] {
  return lines.filter(isAxisLine).map((l) => ({
    name: l[1]?.text ?? '',
    values: l.slice(3).filter((t) => !(t.kind === 'punct' && t.text === '|')),
  }));
}

function product(axes: readonly Axis[]): { binding: AxisValue[]; tokens: Map<string, Token> }[] {
  let out: { binding: AxisValue[]; tokens: Map<string, Token> }[] = [{ binding: [], tokens: new Map() }];
  for (const a of axes)
    out = out.flatMap((b) =>
      a.values.map((v) => ({
        binding: [...b.binding, { axis: a.name, value: v.text }],
        tokens: new Map([...b.tokens, [a.name, v]]),
      })),
    );
  return out;
}

/** The lines with every `$axis` replaced by its value (carrying where the value is declared). */
function substitute(
  lines: readonly Line[],
  values: ReadonlyMap<string, Token>,
  file: string,
  errors: ScenarioError[],
): Line[] {
  return lines.map((l) =>
    l.map((t) => {
      if (t.kind !== 'var') return t;
      if (isAxisLine(l)) {
        errors.push(scenarioError(file, t, `an axis value cannot use another axis ('$${t.text}')`));
        return t;
      }
      const v = values.get(t.text);
      if (v === undefined) {
        const known = [...values.keys()].map((k) => `$${k}`);
        errors.push(scenarioError(file, t, unknownMessage('axis', `$${t.text}`, known), known));
        return t;
      }
      return {
        kind: v.kind,
        text: v.text,
        line: t.line,
        col: t.col,
        end: t.end,
        axis: { name: t.text, at: { line: v.line, col: v.col } },
      };
    }),
  );
}

/**
 * Parse a scenario file: one ParsedScenario per combination of axis values, or every error found.
 * `file` is the path errors name; a `.pin` file's base name is the scenarios' id.
 */
export function parseScenarios(text: string, file: string): ParseResult {
  const lexed = lex(text, file);
  if (lexed.errors.length > 0) return { ok: false, errors: sortErrors(lexed.errors) };
  const head = parseAxes(lexed.lines, file);
  const axes = axesOf(lexed.lines);
  const names = new Map<string, Pos>();
  for (const a of head.axes) {
    const prev = names.get(a.name);
    if (prev)
      head.errors.push(scenarioError(file, a.at, `duplicate axis '${a.name}' (the first is at ${at(prev)})`));
    names.set(a.name, a.at);
    const values = new Map<string, Pos>();
    for (const v of a.values) {
      const first = values.get(v.name);
      if (first)
        head.errors.push(
          scenarioError(
            file,
            v.at,
            `duplicate value '${v.name}' of axis ${a.name} (the first is at ${at(first)})`,
          ),
        );
      values.set(v.name, v.at);
    }
  }
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  const first = head.axes[0];
  if (count > MAX_EXPANSIONS && first)
    head.errors.push(
      scenarioError(
        file,
        first.at,
        `the axes give ${count} combinations of values: at most ${MAX_EXPANSIONS} (each is a scenario of its own)`,
      ),
    );
  if (head.errors.length > 0) return { ok: false, errors: sortErrors(head.errors) };
  const errors: ScenarioError[] = [];
  const scenarios: ParsedScenario[] = [];
  for (const { binding, tokens } of product(axes)) {
    const unknown: ScenarioError[] = [];
    const lines = substitute(lexed.lines, tokens, file, unknown);
    errors.push(...unknown);
    if (unknown.length > 0) continue;
    const parsed = parseStatements(lines, { file, binding, axes: head.axes });
    errors.push(...parsed.errors);
    if (parsed.errors.length > 0) continue;
    const invalid = validate(parsed.ast, file, lexed.end);
    errors.push(...invalid);
    if (invalid.length === 0) scenarios.push(lower(parsed.ast, file, binding));
  }
  return errors.length > 0 ? { ok: false, errors: sortErrors(errors) } : { ok: true, scenarios };
}
