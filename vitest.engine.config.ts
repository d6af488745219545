import { defineConfig } from "vitest/config";

// The real-engine suite (test/engine): the production app against the real Inngest server, in
// `inngest dev` and self-hosted `inngest start`. Run after `next build` (`npm run test:engine`).
// One file at a time: each test runs its own engine, app and stand-ins on a 2-core machine.
export default defineConfig({
  // The @/ import alias of tsconfig.json.
  resolve: { alias: [{ find: /^@\//, replacement: `${import.meta.dirname}/` }] },
  test: {
    include: ["test/engine/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts", "test/engine/global-setup.ts"],
    setupFiles: ["test/setup-file.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
