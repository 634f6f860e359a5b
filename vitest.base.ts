import { defineConfig } from 'vitest/config';

/**
 * The test settings every package shares. No `passWithNoTests`: a package whose tests are not found
 * (a moved folder, a wrong pattern) fails loudly instead of passing with nothing run.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
