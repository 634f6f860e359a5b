import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: ['test/support/global-setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
