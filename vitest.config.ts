import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  // The @/ import alias of tsconfig.json.
  resolve: { alias: [{ find: /^@\//, replacement: `${import.meta.dirname}/` }] },
  test: {
    include: ["{lib,workflows,app,components,scripts,test,bench}/**/*.test.ts"],
    // The real-engine suite needs a production build; it runs through vitest.engine.config.ts.
    exclude: [...configDefaults.exclude, "test/engine/**"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
