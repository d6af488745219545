// Runs before each test file: a fresh migrated schema, and canary values for every secret
// so tests can assert that no secret leaks anywhere.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { applyMigrations } from "@/lib/migrate";
import { secretCanaries } from "./secret-canaries";

const schema = `test_${randomBytes(6).toString("hex")}`;
const url = new URL(inject("databaseUrl"));
url.searchParams.set("schema", schema);
process.env.DATABASE_URL = url.toString();
for (const [name, value] of Object.entries(secretCanaries)) {
  if (name !== "DATABASE_URL") process.env[name] ??= value;
}
process.env.FACTORY_DATA_DIR ??= `/tmp/factory-test-data/${schema}`;
resetEnvCache();
await applyMigrations({ databaseUrl: process.env.DATABASE_URL });

afterAll(async () => {
  await disconnectDb();
});
