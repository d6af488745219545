import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { resolveConnection } from "./db";
import { applyMigrations, listMigrations, migrationsDir } from "./migrate";

const databaseUrl = process.env.DATABASE_URL!;
const { connectionString, schema } = resolveConnection(databaseUrl);
const client = new pg.Client({ connectionString });
await client.connect();
afterAll(() => client.end());

/** Field name -> { type, isOptional, isList } for every scalar and enum field, read from schema.prisma. */
function readSchemaModels(text: string) {
  const models = new Map<string, Map<string, { type: string; isOptional: boolean; isList: boolean }>>();
  const modelNames = new Set([...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]));
  for (const match of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, { type: string; isOptional: boolean; isList: boolean }>();
    for (const line of match[2].split("\n")) {
      const field = line.trim().match(/^(\w+)\s+(\w+)(\?|\[\])?/);
      if (!field || modelNames.has(field[2])) continue;
      fields.set(field[1], { type: field[2], isOptional: field[3] === "?", isList: field[3] === "[]" });
    }
    models.set(match[1], fields);
  }
  return models;
}

describe("migrations", () => {
  it("are recorded in Prisma's _prisma_migrations table", async () => {
    const { rows } = await client.query(`select migration_name, checksum, finished_at from "_prisma_migrations" order by migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("are idempotent: a second run applies nothing", async () => {
    expect(await applyMigrations({ databaseUrl })).toEqual([]);
  });

  it("were generated from the current schema.prisma (no unmigrated edits)", () => {
    const normalize = (text: string) => text.replace(/\/\/.*$/gm, "").replace(/\s+/g, " ").trim();
    const current = readFileSync(path.resolve(migrationsDir, "..", "schema.prisma"), "utf8");
    const snapshot = readFileSync(path.join(migrationsDir, "schema.snapshot.prisma"), "utf8");
    expect(normalize(current), "schema.prisma changed: run `npm run db:migration:new -- <name>`").toBe(normalize(snapshot));
  });

  it("produce the tables, columns, nullability and enums that schema.prisma declares", async () => {
    const schemaText = readFileSync(path.resolve(migrationsDir, "..", "schema.prisma"), "utf8");
    const models = readSchemaModels(schemaText);
    const { rows: columns } = await client.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string; udt_name: string }>(
      `select table_name, column_name, is_nullable, data_type, udt_name from information_schema.columns where table_schema = $1`,
      [schema],
    );
    const tables = new Set(columns.map((c) => c.table_name));
    expect([...tables].filter((t) => t !== "_prisma_migrations").sort()).toEqual([...models.keys()].sort());

    const enumNames = [...schemaText.matchAll(/^enum (\w+)/gm)].map((m) => m[1]);
    const pgTypes: Record<string, string> = { String: "text", Int: "int4", BigInt: "int8", Boolean: "bool", DateTime: "timestamp", Json: "jsonb", Decimal: "numeric" };
    for (const [model, fields] of models) {
      const tableColumns = columns.filter((c) => c.table_name === model);
      expect(tableColumns.map((c) => c.column_name).sort(), model).toEqual([...fields.keys()].sort());
      for (const column of tableColumns) {
        const field = fields.get(column.column_name)!;
        expect(column.is_nullable === "YES", `${model}.${column.column_name} nullability`).toBe(field.isOptional || field.isList); // Prisma maps lists to nullable arrays
        const expected = enumNames.includes(field.type) ? field.type : pgTypes[field.type];
        const actual = field.isList ? column.udt_name.replace(/^_/, "") : column.udt_name;
        expect(actual, `${model}.${column.column_name} type`).toBe(expected);
      }
    }

    const { rows: enumRows } = await client.query<{ typname: string; labels: string[] }>(
      `select t.typname, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = $1 group by t.typname`,
      [schema],
    );
    for (const match of schemaText.matchAll(/^enum (\w+) \{([\s\S]*?)^\}/gm)) {
      const values = match[2].split("\n").map((l) => l.trim()).filter((l) => /^\w+$/.test(l));
      expect(enumRows.find((r) => r.typname === match[1])?.labels, `enum ${match[1]}`).toEqual(values);
    }
  });
});
