import { describe, expect, it } from 'vitest';
import { printScenario } from '../../src/scenario/index.js';
import { parseErrors, parseOk, withOps } from './helpers.js';

/**
 * A ublk request buffer has a direction (io_buffer_register_bvec(): imu->dir = 1 << rq_data_dir(rq),
 * the 7.2 tree's io_uring/rsrc.c:1067), so the scenario says which: `ublk register read|write H SLOT`.
 */
describe('the syntax of ublk buffer registration', () => {
  const ops = [
    'kalloc page as rq',
    'ublk register write rq 3 -> reg',
    'ublk commit rq',
    'ublk unregister 3 -> u',
  ];

  it('reads the direction into the operation and prints it back', () => {
    const s = parseOk(withOps(ops.join('\n')))[0]?.scenario;
    expect(s?.program.actors[0]?.ops[1]).toEqual({
      op: 'ublk',
      action: 'register',
      dir: 'write',
      handle: 'rq',
      index: 3,
      reg: 'reg',
    });
    const text = s === undefined ? '' : printScenario(s);
    for (const line of ops) expect(text).toContain(`  ${line}\n`);
  });

  it('refuses a registration without a direction, at the word where it belongs', () => {
    const errors = parseErrors(withOps('kalloc page as rq\nublk register rq 0 -> reg'));
    expect(errors[0]).toMatch(/^test\.pin:11:17: .*request direction.*read.*write/);
  });
});
