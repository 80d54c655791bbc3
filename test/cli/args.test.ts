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

describe('flags', () => {
  it('refuses a value given to a flag (--quiet=no would be read as --quiet)', () => {
    expect(cli('check', 'scenarios/dio-read-fork.pin', '--states=no')).toEqual({
      code: 2,
      out: '',
      err: "pinlab check: option '--states' takes no value\n",
    });
  });
});
