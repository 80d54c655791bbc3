import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's first-scenario transcript stays true: each `$ npx pinlab ...` line is run with the
 * built CLI in an empty directory, in order, and what it prints (stdout, then stderr; the transcript
 * writes no command that prints both) must be the lines under it.
 */
const HEADING = '### A first scenario, from `pinlab new`';

function transcript(): { command: string[]; output: string }[] {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf(HEADING);
  expect(at).toBeGreaterThan(0);
  const block = /```\n([\s\S]*?)```\n/.exec(readme.slice(at))?.[1] ?? '';
  const steps: { command: string[]; output: string }[] = [];
  for (const line of block.split('\n').slice(0, -1)) {
    if (line.startsWith('$ npx pinlab ')) steps.push({ command: line.slice(13).split(' '), output: '' });
    else {
      const last = steps.at(-1);
      if (last === undefined) throw new Error(`output before any command: ${line}`);
      last.output += `${line}\n`;
    }
  }
  return steps;
}

describe('the README transcript of a first scenario', () => {
  it('is what pinlab prints when its commands run in an empty directory', () => {
    const steps = transcript();
    expect(steps.map((s) => s.command[0])).toEqual(['new', 'lint', 'check', 'new']);
    const cwd = mkdtempSync(join(tmpdir(), 'pinlab-readme-'));
    const main = resolve('dist/cli/main.js');
    for (const { command, output } of steps) {
      const r = spawnSync(process.execPath, [main, ...command], { cwd, encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`, `pinlab ${command.join(' ')}`).toBe(output);
    }
  });
});
