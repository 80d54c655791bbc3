import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(argv, { version: '0.0.0-test', out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('short options', () => {
  it('refuses -k instead of reading it as a file name', () => {
    expect(cli('check', '-k', 'v6.6')).toEqual({
      code: 2,
      out: '',
      err: "pinlab check: unknown option '-k' (pinlab takes long options: --kernel, ...)\n",
    });
  });
});
