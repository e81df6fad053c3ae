import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/indexer/**/*.test.ts", "test/cli/**/*.test.ts", "test/server/**/*.test.ts", "test/shared/**/*.test.ts", "test/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Each file starts its own chain node and database; two at a time suits our 2-core machines.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
