// The one Prisma client. Only lib/ and workflows/ import it.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";
import { AppError } from "./errors";

/**
 * Splits Prisma's `?schema=` convention out of a URL. The schema goes to the adapter (for
 * Prisma's qualified names) and into search_path (for raw SQL, LISTEN and NOTIFY).
 */
export function resolveConnection(databaseUrl: string): { connectionString: string; schema: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "public";
  url.searchParams.delete("schema");
  if (schema !== "public") url.searchParams.set("options", `-c search_path="${schema}"`);
  return { connectionString: url.toString(), schema };
}

export function databaseUrlOrThrow(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) {
    throw new AppError(
      "unavailable",
      "DATABASE_URL is not set. Start the factory with `npm run dev` or `npm start` (they start an embedded Postgres), or set DATABASE_URL=postgresql://user:password@host:5432/db.",
    );
  }
  return url;
}

function createClient(): PrismaClient {
  const { connectionString, schema } = resolveConnection(databaseUrlOrThrow());
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }, { schema }) });
}

declare global {
  /** One client per process, kept across Next's dev-server module reloads. */
  var factoryDb: PrismaClient | undefined;
}
const globalForDb = globalThis;

/** Lazily created so that importing lib/ never needs a database (builds, pure unit tests). */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    globalForDb.factoryDb ??= createClient();
    const value = Reflect.get(globalForDb.factoryDb, property);
    return typeof value === "function" ? value.bind(globalForDb.factoryDb) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  await globalForDb.factoryDb?.$disconnect();
  globalForDb.factoryDb = undefined;
}
