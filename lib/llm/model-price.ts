// Prices: the ModelPrice table (seeded, user-editable) plus FACTORY_MODEL_PRICES overrides.
import { db } from "../db";
import type { PriceSource } from "../generated/prisma/enums";
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { listPrices } from "./list-prices";
import { parseModelRef, type ModelRef } from "./model-ref";

/** USD per million tokens. */
export type ModelPrice = { input: number; output: number; cacheRead: number; cacheWrite: number; source: PriceSource };

/** Env prices win over the table: they are the operator's explicit configuration. */
function readEnvPrice(ref: string, env: Env): ModelPrice | undefined {
  const entry = env.FACTORY_MODEL_PRICES?.[ref];
  if (!entry) return undefined;
  // An unspecified cache price is charged like fresh input, so cost is never under-counted.
  return { input: entry.input, output: entry.output, cacheRead: entry.cacheRead ?? entry.input, cacheWrite: entry.cacheWrite ?? entry.input, source: "env" };
}

/** The price of a model, or undefined. Dated ids ("claude-haiku-4-5-20251001") fall back to their alias. */
export async function findModelPrice(ref: string | ModelRef, env: Env = getEnv()): Promise<ModelPrice | undefined> {
  const parsed = typeof ref === "string" ? parseModelRef(ref) : ref;
  const candidates = [parsed.model, parsed.model.replace(/-\d{8}$/, "")];
  for (const model of candidates) {
    const fromEnv = readEnvPrice(`${parsed.provider}:${model}`, env);
    if (fromEnv) return fromEnv;
  }
  const rows = await db.modelPrice.findMany({ where: { provider: parsed.provider, model: { in: candidates } } });
  const row = candidates.map((model) => rows.find((r) => r.model === model)).find(Boolean);
  if (!row) return undefined;
  return {
    input: Number(row.inputPerMTok),
    output: Number(row.outputPerMTok),
    cacheRead: Number(row.cacheReadPerMTok),
    cacheWrite: Number(row.cacheWritePerMTok),
    source: row.source,
  };
}

/** Refuses a model with no known price before any call is made, saying how to add one. */
export async function getModelPriceOrThrow(ref: string | ModelRef, env: Env = getEnv()): Promise<ModelPrice> {
  const parsed = typeof ref === "string" ? parseModelRef(ref) : ref;
  const price = await findModelPrice(parsed, env);
  if (price) return price;
  throw new AppError(
    "unprocessable",
    `No price is known for model "${parsed.ref}", so its spending cannot be bounded. ` +
      `Set one with FACTORY_MODEL_PRICES='{"${parsed.ref}": {"input": 1.4, "output": 4, "cacheRead": 0.14, "cacheWrite": 0}}' ($ per million tokens; 0 for a free local model), ` +
      `or add a row for provider "${parsed.provider}", model "${parsed.model}" to the ModelPrice table (Settings).`,
  );
}

/**
 * Inserts list prices and FACTORY_MODEL_PRICES entries. Idempotent; refreshes rows it owns
 * (source seed/env) and never touches a row a user edited (source "user").
 */
export async function seedModelPrices(env: Env = getEnv()): Promise<number> {
  const entries = [
    ...listPrices.map((p) => ({ ...p, source: "seed" as const })),
    ...Object.entries(env.FACTORY_MODEL_PRICES ?? {}).map(([ref, p]) => ({
      ref,
      input: p.input,
      output: p.output,
      cacheRead: p.cacheRead ?? p.input,
      cacheWrite: p.cacheWrite ?? p.input,
      source: "env" as const,
    })),
  ];
  let written = 0;
  for (const entry of entries) {
    const { provider, model } = parseModelRef(entry.ref);
    const data = {
      inputPerMTok: entry.input,
      outputPerMTok: entry.output,
      cacheReadPerMTok: round6(entry.cacheRead),
      cacheWritePerMTok: round6(entry.cacheWrite),
      source: entry.source,
    };
    const existing = await db.modelPrice.findUnique({ where: { provider_model: { provider, model } }, select: { source: true } });
    if (existing?.source === "user") continue;
    // An env price wins over the list price while it is configured; once removed, the list price returns.
    if (existing?.source === "env" && entry.source === "seed" && env.FACTORY_MODEL_PRICES?.[`${provider}:${model}`]) continue;
    await db.modelPrice.upsert({ where: { provider_model: { provider, model } }, create: { provider, model, ...data }, update: data });
    written += 1;
  }
  return written;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
