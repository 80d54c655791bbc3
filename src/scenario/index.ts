/**
 * The scenario language: `.pin` text to Scenarios the checker runs, and back. See scenarios/README.md
 * for the language.
 */
export { parseScenarios } from './expand.js';
export { printScenario, conditionText, quote } from './printer.js';
export { unavailableOps } from './validate.js';
export { formatError, type Pos, type ScenarioError } from './errors.js';
export { OP_SYNTAX, OP_WORDS, type OpSyntax } from './ops.js';
export { PAGE_WORDS, parsePage, pageWord } from './pages.js';
export { kernelListText } from './kernels.js';
export type {
  AxisValue,
  Expectation,
  ExpectedVerdict,
  ParseResult,
  ParsedScenario,
  Scenario,
  SourceMap,
} from './types.js';
export { expectedVerdict, opPosition } from './query.js';
