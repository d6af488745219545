// Prisma 6 with its WebAssembly schema engine writes migration SQL offline. It needs a
// reachable database for the adapter even though `migrate diff` reads nothing from it.
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
} satisfies PrismaConfig;
