import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests bind their own loopback ports (port 0) and their own temp SQLite files, so files can run in parallel.
    pool: "forks",
  },
});
