import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests bind their own loopback ports (port 0) and their own temp SQLite files, so files run in parallel.
    pool: "forks",
    // Most stories wait on loopback HTTP and timers, not on a core: two files at a time even on two cores
    // (Vitest's default leaves one core free, which ran the stories one file after another).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "stories", include: ["test/**/*.test.ts"], exclude: ["test/deploy/dockerfile-build.test.ts"], sequence: { groupOrder: 0 } },
      },
      {
        // The Dockerfile's build steps compile better-sqlite3 for minutes on two cores: run them after the stories,
        // not beside them, so neither starves the other.
        extends: true,
        test: { name: "image", include: ["test/deploy/dockerfile-build.test.ts"], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
