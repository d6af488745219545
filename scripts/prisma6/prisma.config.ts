// Prisma 6 with its WebAssembly schema engine writes migration SQL offline. It needs a
// reachable database for the adapter even though `migrate diff` reads nothing from it.
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/schema.prisma",
  adapter: async () => {
    // Standalone tool config (it cannot load the app's lib/env.ts); new-migration.ts sets this.
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is required: run this through `npm run db:migration:new -- <name>`");
    return new PrismaPg({ connectionString });
  },
} satisfies PrismaConfig;
