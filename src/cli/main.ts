#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { run } from './run.js';
import { interruptible, runInterruptible } from '../runtime/interruptible.js';

// A reader that stops early (`pinlab list | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const argv = process.argv.slice(2);
process.exitCode = interruptible(argv)
  ? await runInterruptible(argv, pkg.version)
  : run(argv, {
      version: pkg.version,
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
      tty: process.stderr.isTTY,
      columns: process.stderr.columns,
    });
