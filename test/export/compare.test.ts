import { describe, expect, it } from 'vitest';
import { compareVerdict } from '../../src/export/index.js';

describe('compareVerdict', () => {
  it('agrees when the runs stay inside the verdict', () => {
    expect(compareVerdict('never', 0, 200).outcome).toBe('agree');
    expect(compareVerdict('sometimes', 3, 200).outcome).toBe('agree');
    expect(compareVerdict('always', 200, 200).outcome).toBe('agree');
  });

  it('calls a `never` the kernel showed a contradiction', () => {
    expect(compareVerdict('never', 1, 200)).toEqual({
      outcome: 'contradiction',
      why: 'the model says no interleaving ends with it; 1/200 runs did',
    });
  });

  it('calls an `always` a run missed a contradiction', () => {
    expect(compareVerdict('always', 199, 200)).toEqual({
      outcome: 'contradiction',
      why: 'the model says every interleaving ends with it; 1/200 runs did not',
    });
  });

  it('notes a `sometimes` the runs never hit, and an open verdict', () => {
    expect(compareVerdict('sometimes', 0, 200).outcome).toBe('note');
    expect(compareVerdict('inconclusive', 5, 200).outcome).toBe('note');
    expect(compareVerdict('unavailable', 0, 200).outcome).toBe('skip');
  });
});
