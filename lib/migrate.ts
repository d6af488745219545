// Applies prisma/migrations/*/migration.sql in order, keeping Prisma's _prisma_migrations
// bookkeeping so `prisma migrate deploy` on a machine with the schema engine agrees with it.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveConnection } from "./db";

export const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

export type Migration = { name: string; sql: string; checksum: string };

export function listMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const bookkeepingTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Any fixed key works; it only serialises concurrent migration runners. */
const migrationLockKey = 724_311_902;

/** Applies pending migrations; returns the names applied. Each runs in its own transaction. */
export async function applyMigrations(options: { databaseUrl: string; dir?: string; log?: (line: string) => void }): Promise<string[]> {
  const { connectionString, schema } = resolveConnection(options.databaseUrl);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
    await client.query(`SET search_path TO "${schema.replace(/"/g, '""')}"`);
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await client.query(bookkeepingTable);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((row) => [row.migration_name, row]));

    for (const migration of listMigrations(options.dir)) {
      const previous = done.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was edited after it was applied (checksum differs). ` +
              `Restore the file and add a new migration instead (npm run db:migration:new -- <name>).`,
          );
        }
        continue;
      }
      if (previous) {
        throw new Error(`Migration ${migration.name} started earlier but never finished. Inspect the database, then delete its row from _prisma_migrations.`);
      }
      await applyOne(client, migration);
      options.log?.(`applied migration ${migration.name}`);
      applied.push(migration.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    // Postgres DDL is transactional, so nothing of the migration remains; record it as rolled back.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, rolled_back_at, started_at) VALUES ($1, $2, $3, $4, now(), now())`,
      [id, migration.checksum, migration.name, String(error)],
    );
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}
