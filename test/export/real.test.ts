import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { HAVE_CC } from './cc.js';

/** Why this machine cannot run the exported library, or null when it can. */
function cannotRun(): string | null {
  if (!HAVE_CC) return "no C compiler ('cc')";
  if (process.getuid?.() !== 0) return 'not root: loop devices and the kernel page flags need it';
  return null;
}

describe('pinlab real over the built-in library', () => {
  it('finds no contradiction between the model and the running kernel', (ctx) => {
    const why = cannotRun();
    if (why !== null) {
      console.log(`pinlab real skipped: ${why}`);
      ctx.skip(why);
      return;
    }
    let out = '';
    let err = '';
    const code = run(['real', '--runs', '12'], {
      version: 'test',
      out: (s) => (out += s),
      err: (s) => (err += s),
    });
    expect(out + err, out + err).not.toMatch(/^(contradiction|error):/m);
    expect(code, out + err).toBe(0);
    expect(out).toMatch(/^\d+ agree, 0 contradictions/m);
  });
});
