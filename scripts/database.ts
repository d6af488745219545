// Resolves the database for the launchers: DATABASE_URL when set, otherwise the embedded
// Postgres under FACTORY_DATA_DIR (started here, stopped by the returned function).
import path from "node:path";
import { getEnv } from "@/lib/env";
import { startEmbeddedPostgres } from "@/lib/embedded-postgres";

export const defaultEmbeddedPort = 54329;

export async function prepareDatabase(): Promise<{ url: string; isEmbedded: boolean; stop: () => Promise<void> }> {
  const env = getEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, isEmbedded: false, stop: async () => {} };
  const port = env.FACTORY_DB_PORT ?? defaultEmbeddedPort;
  const dataDir = path.resolve(env.FACTORY_DATA_DIR);
  console.log(`[db] starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${path.join(dataDir, "postgres")})`);
  const database = await startEmbeddedPostgres({ dataDir, port });
  return { url: database.url, isEmbedded: true, stop: database.stop };
}

export async function withDatabase(work: (databaseUrl: string) => Promise<void>): Promise<void> {
  const database = await prepareDatabase();
  try {
    await work(database.url);
  } finally {
    await database.stop();
  }
}
