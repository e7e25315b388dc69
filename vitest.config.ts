import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One temporary directory per run, removed at its end (see the file).
    globalSetup: ['test/helpers/run-tmpdir.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
    },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // Integration tests share embedded engines started once per file; keep files in one process each.
          fileParallelism: false,
        },
      },
    ],
  },
});
