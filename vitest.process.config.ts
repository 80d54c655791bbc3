import { defineConfig } from 'vitest/config';
import { NO_TIME_LIMIT, PROCESS_TESTS } from './vitest.config.js';

/** Tests of the built program (`npm run test:process` builds it first): its processes, workers and viewer. */
export default defineConfig({
  test: {
    include: PROCESS_TESTS.map((p) => `${p}/*.test.ts`),
    pool: 'forks',
    // One file at a time: each starts processes or threads of its own, and the machine has two cores.
    fileParallelism: false,
    setupFiles: ['test/setup.ts'],
    ...NO_TIME_LIMIT,
  },
});
