import { describe, expect, it } from 'vitest';
import {
  ksftFinished,
  ksftPrintHeader,
  ksftPrintMsg,
  ksftSetPlan,
  ksftTestResult,
} from '../../src/selftests/kselftest.js';

describe('kselftest output', () => {
  it('prints the lines of kselftest.h, numbering results and counting them', () => {
    const k = ksftPrintHeader();
    ksftSetPlan(k, 5);
    ksftPrintMsg(k, '[RUN] Basic COW after fork() ... with base page');
    ksftTestResult(k, 'pass', 'No leak from parent into child');
    ksftTestResult(k, 'fail', 'Leak from parent into child');
    ksftTestResult(k, 'xfail', 'Leak from child into parent');
    ksftTestResult(k, 'skip', 'MADV_PAGEOUT did not work, is swap enabled?');
    ksftTestResult(k, 'error', 'bound');
    expect(ksftFinished(k)).toBe(1);
    expect(k.lines).toEqual([
      'TAP version 13',
      '1..5',
      '# [RUN] Basic COW after fork() ... with base page',
      'ok 1 No leak from parent into child',
      'not ok 2 Leak from parent into child',
      'ok 3 # XFAIL Leak from child into parent',
      'ok 4 # SKIP MADV_PAGEOUT did not work, is swap enabled?',
      'not ok 5 # error bound',
      'Bail out! 1 out of 5 tests failed',
      '# Totals: pass:1 fail:1 xfail:1 xpass:0 skip:1 error:1',
    ]);
    expect(k.tests[1]?.run).toBe('Basic COW after fork() ... with base page');
  });
  it('exits 0 without failures and notes a plan that was not met', () => {
    const k = ksftPrintHeader();
    ksftSetPlan(k, 2);
    ksftTestResult(k, 'pass', 'ok');
    expect(ksftFinished(k)).toBe(0);
    expect(k.lines.slice(-2)).toEqual([
      '# Planned tests != run tests (2 != 1)',
      '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0',
    ]);
  });
});
