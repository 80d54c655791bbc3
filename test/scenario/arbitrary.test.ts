import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_NAMES, type Op } from '../../src/model/ops/index.js';
import { profileNames } from '../../src/model/profile/profiles.js';
import { DIO_PATHS } from '../../src/scenario/ops.js';
import { AGENT_KINDS, FS_TYPES } from '../../src/scenario/pages.js';
import { scenarioArb } from './arbitrary.js';

describe('the scenario generator', () => {
  const sample = fc.sample(scenarioArb, { numRuns: 3000, seed: 18 });

  it('generates every operation the model has (a new operation needs a case in makeOp)', () => {
    const seen = new Set<string>();
    for (const s of sample) {
      for (const a of s.program.actors) for (const op of a.ops) seen.add(op.op);
      for (const [, op] of s.program.setup) seen.add(op.op);
    }
    expect([...seen].sort()).toEqual([...OP_NAMES].sort());
  });

  it('generates every variant of the operations, every file system, agent and kernel profile', () => {
    const seen = new Set<string>();
    const variant = (op: Op): string => {
      if (op.op === 'dio' || op.op === 'uring-rw') return `path ${op.path}`;
      if (op.op === 'kalloc') return `kalloc ${op.kind}`;
      if (op.op === 'ublk') return `ublk ${op.action}`;
      if (op.op === 'kernel-aio') return `${op.driver} ${op.rw}${op.async ? ' async' : ''}`;
      if (op.op === 'remap') return op.dedupe ? 'dedupe' : 'reflink';
      if (op.op === 'send') return op.zerocopy ? 'send zerocopy' : 'send';
      return op.op;
    };
    for (const s of sample) {
      const p = s.program;
      for (const op of [...p.actors.flatMap((a) => a.ops), ...p.setup.map(([, op]) => op)])
        seen.add(variant(op));
      for (const f of p.files) seen.add(`fs ${f.fs}`);
      for (const a of p.agents ?? []) seen.add(`agent ${a}`);
      for (const e of s.expectations) seen.add(`kernel ${e.kernel}`);
    }
    const wanted = [
      ...DIO_PATHS.map((d) => `path ${d}`),
      ...['vmalloc', 'page', 'kmalloc'].map((k) => `kalloc ${k}`),
      ...['register', 'unregister', 'commit'].map((a) => `ublk ${a}`),
      ...['loop', 'lio'].flatMap((d) =>
        ['read', 'write', 'read async', 'write async'].map((m) => `${d} ${m}`),
      ),
      ...['dedupe', 'reflink', 'send', 'send zerocopy'],
      ...FS_TYPES.map((f) => `fs ${f}`),
      ...AGENT_KINDS.map((a) => `agent ${a}`),
      ...profileNames().map((k) => `kernel ${k}`),
    ];
    expect(wanted.filter((w) => !seen.has(w))).toEqual([]);
  });
});
