import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('short options', () => {
  it('refuses -k instead of reading it as a file name', () => {
    expect(cli('check', '-k', 'v6.6')).toEqual({
      code: 2,
      out: '',
      err: "pinlab check: unknown option '-k' (pinlab takes long options: --kernel, ...)\n",
    });
  });
});
