// Starts one real PostgreSQL for the whole test run (or uses TEST_DATABASE_URL). Each test
// file then gets its own schema (test/setup-file.ts), so files never see each other's rows.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("databaseUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "factory-test-db-"));
  const port = 40000 + Math.floor(Math.random() * 20000);
  const database = await startEmbeddedPostgres({ dataDir, port, database: "factory_test", persistent: false });
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
