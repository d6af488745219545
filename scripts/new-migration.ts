// `npm run db:migration:new -- <name>`: writes prisma/migrations/<stamp>_<name>/migration.sql
// with the SQL that takes the last migrated schema (prisma/migrations/schema.snapshot.prisma)
// to prisma/schema.prisma, then updates the snapshot. Needs `npm install --prefix scripts/prisma6` once.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withDatabase } from "./database";

const root = path.resolve(import.meta.dirname, "..");
const prisma6Dir = path.join(root, "scripts", "prisma6");
const migrationsDir = path.join(root, "prisma", "migrations");
const snapshot = path.join(migrationsDir, "schema.snapshot.prisma");
const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) throw new Error("Usage: npm run db:migration:new -- <name>, e.g. add_run_labels");
if (!existsSync(path.join(prisma6Dir, "node_modules", "prisma"))) {
  throw new Error("Prisma 6 is missing: run `npm install --prefix scripts/prisma6` once.");
}

const stub = path.join(prisma6Dir, "engine-stub");
writeFileSync(stub, "#!/bin/sh\nexit 1\n");
chmodSync(stub, 0o755);

/** Prisma 6 insists on a datasource url, which Prisma 7 moved to prisma.config.ts. */
function withDatasourceUrl(schemaFile: string, copyName: string): string {
  const copy = path.join(prisma6Dir, copyName);
  const text = readFileSync(schemaFile, "utf8").replace(/(datasource db \{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url = env("DATABASE_URL")');
  writeFileSync(copy, text);
  return copy;
}

await withDatabase(async (databaseUrl) => {
  const from = existsSync(snapshot)
    ? ["--from-schema-datamodel", withDatasourceUrl(snapshot, "from.prisma")]
    : ["--from-empty"];
  const sql = execFileSync(
    process.execPath,
    [path.join(prisma6Dir, "node_modules", "prisma", "build", "index.js"), "migrate", "diff", ...from,
      "--to-schema-datamodel", withDatasourceUrl(path.join(root, "prisma", "schema.prisma"), "to.prisma"), "--script"],
    {
      cwd: prisma6Dir,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_QUERY_ENGINE_LIBRARY: stub, CHECKPOINT_DISABLE: "1" },
    },
  );
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("No schema changes: nothing to write.");
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  writeFileSync(path.join(migrationsDir, "migration_lock.toml"), '# Managed by Prisma; do not edit.\nprovider = "postgresql"\n');
  copyFileSync(path.join(root, "prisma", "schema.prisma"), snapshot);
  console.log(`Wrote ${path.relative(root, dir)}/migration.sql`);
});
