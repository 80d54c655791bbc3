import { describe, expect, it } from 'vitest';
import { printScenario } from '../../src/scenario/index.js';
import { parseErrors, parseOk, withOps } from './helpers.js';

describe('the syntax of sends, the loop/LIO backends, dedupe/reflink and punch-hole', () => {
  const ops = [
    'send buf zerocopy as z',
    'send buf as c',
    'errqueue z -> done',
    'recv -> seen',
    'kalloc page as p',
    'loop read f[0] into p as r',
    'lio write async f[0] from p as w',
    'await w',
    'dedupe f[0] -> f[1] as d',
    'reflink f[0] -> f[1] as e',
    'fallocate f[0] punch-hole',
  ].join('\n');

  it('reads each form into its operation', () => {
    const s = parseOk(withOps(ops, '', 'agent nic'))[0]?.scenario;
    expect(s?.program.agents).toEqual(['nic']);
    expect(s?.program.actors[0]?.ops).toEqual([
      { op: 'send', buf: 'buf', zerocopy: true, as: 'z' },
      { op: 'send', buf: 'buf', zerocopy: false, as: 'c' },
      { op: 'errqueue', as: 'z', reg: 'done' },
      { op: 'recv', reg: 'seen' },
      { op: 'kalloc', kind: 'page', as: 'p' },
      {
        op: 'kernel-aio',
        driver: 'loop',
        rw: 'read',
        async: false,
        file: 'f',
        index: 0,
        handle: 'p',
        as: 'r',
      },
      {
        op: 'kernel-aio',
        driver: 'lio',
        rw: 'write',
        async: true,
        file: 'f',
        index: 0,
        handle: 'p',
        as: 'w',
      },
      { op: 'await', as: 'w' },
      { op: 'remap', dedupe: true, file: 'f', index: 0, dst: 'f', dstIndex: 1, as: 'd' },
      { op: 'remap', dedupe: false, file: 'f', index: 0, dst: 'f', dstIndex: 1, as: 'e' },
      { op: 'fallocate', file: 'f', index: 0 },
    ]);
  });
  it('prints them back as they were written', () => {
    const s = parseOk(withOps(ops, '', 'agent nic'))[0]?.scenario;
    const text = s === undefined ? '' : printScenario(s);
    for (const line of ops.split('\n')) expect(text).toContain(`  ${line}\n`);
  });
  it('waits only for a zerocopy send: a copying one has no completion to wait for', () => {
    expect(parseErrors(withOps('send buf as c\nerrqueue c -> done'))).toEqual([
      "test.pin:11:12: 'c' names no asynchronous I/O started earlier by thread T0",
    ]);
  });
  it('names the fallocate mode it knows', () => {
    expect(parseErrors(withOps('fallocate f[0] collapse-range'))[0]).toMatch(
      /^test\.pin:10:18: .*punch-hole/,
    );
  });
  it('refuses the waiting operations in setup', () => {
    const text = withOps('recv -> seen').replace(
      'thread T0 in P',
      'setup\n  T0: recv -> early\nthread T0 in P',
    );
    expect(parseErrors(text).join('\n')).toMatch(/'recv' cannot run in setup: it waits for the NIC/);
  });
});
