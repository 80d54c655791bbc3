// `npm run fuzz -- [--target parser|checker] [--count N] [--seed S]`: the fuzz properties of
// test/fuzz/fuzz.test.ts run long (npm test runs them a few hundred times). Exit status: vitest's
// (0 when no property failed; a failure prints its counterexample and the seed to run it again), 2 usage.
import console from 'node:console';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const TARGETS = { parser: 'fuzz: the parser', checker: 'fuzz: the checker' };

function usage(msg) {
  console.error(`fuzz: ${msg}\nusage: npm run fuzz -- [--target parser|checker] [--count N] [--seed S]`);
  process.exit(2);
}

const env = { ...process.env, PINLAB_FUZZ_COUNT: '10000' };
let target;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i], argv[i + 1]];
  if (value === undefined) usage(`${flag} needs a value`);
  if (flag === '--target' && value in TARGETS) target = value;
  else if (flag === '--count' && /^[1-9]\d*$/.test(value)) env.PINLAB_FUZZ_COUNT = value;
  else if (flag === '--seed' && /^-?\d+$/.test(value)) env.PINLAB_FUZZ_SEED = value;
  else usage(`bad argument ${flag} ${value}`);
}
if (target !== undefined) env.PINLAB_FUZZ_TARGET = target;
const filter = target === undefined ? [] : ['-t', TARGETS[target]];
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/fuzz/fuzz.test.ts', '--testTimeout', '0', '--reporter', 'verbose', ...filter],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
