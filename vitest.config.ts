import { defineConfig } from 'vitest/config';

/**
 * The unit run: the model, the checker and the CLI in this process, from the sources. Tests that run
 * the built program (dist/) in other processes or a browser are in vitest.process.config.ts, run after
 * a build by `npm run test:process`, so no test reads dist/ while another rebuilds it.
 */
export const PROCESS_TESTS = ['test/process/**', 'test/viewer/**'];

/**
 * No test is judged by time: a shared machine with both cores busy may take minutes where an idle one
 * takes seconds, so the per-test limit only stops a test that hangs.
 */
export const NO_TIME_LIMIT = { testTimeout: 30 * 60_000, hookTimeout: 30 * 60_000 };

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: PROCESS_TESTS,
    pool: 'threads',
    setupFiles: ['test/setup.ts'],
    ...NO_TIME_LIMIT,
  },
});
