// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded
// Postgres under FACTORY_DATA_DIR when DATABASE_URL is unset.
import { applyMigrations } from "@/lib/migrate";
import { withDatabase } from "./database";

await withDatabase(async (databaseUrl) => {
  const applied = await applyMigrations({ databaseUrl, log: (line) => console.log(`[db] ${line}`) });
  console.log(applied.length ? `[db] ${applied.length} migration(s) applied` : "[db] database is up to date");
});
