import { defineConfig } from 'vitest/config';

// One config for every project: each Nx `test` target runs it with `--dir <projectRoot>`.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'cdktf.out/**'],
    // Real terraform runs inside the tests: give them room, and keep them from starving each other.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
