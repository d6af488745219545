import { db } from "../db";
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { listPrices } from "./list-prices";
import type { ModelPriceDto } from "./model-price-dto";
import type { ModelPriceKey } from "./model-price-input";
import { toModelPriceDto } from "./to-model-price-dto";

export type ResetModelPriceResult = { provider: string; model: string; restored: ModelPriceDto | null };

/**
 * Undoes a Settings edit at once, in one statement: the row goes back to the price seeding
 * would write (FACTORY_MODEL_PRICES, else the list price), or is deleted when neither knows
 * the model, which leaves it unpriced so runs using it are refused. Updating in place, rather
 * than deleting and re-seeding, never leaves a moment where a priced model has no price.
 */
export async function resetModelPrice(options: { key: ModelPriceKey; env?: Env }): Promise<ResetModelPriceResult> {
  const env = options.env ?? getEnv();
  const { provider, model } = options.key;
  const where = { provider, model };
  const fallback = findDefaultPrice(`${provider}:${model}`, env);
  const { count } = fallback
    ? await db.modelPrice.updateMany({ where, data: fallback })
    : await db.modelPrice.deleteMany({ where });
  if (count === 0) throw new AppError("not_found", `No price is stored for "${provider}:${model}".`);
  const row = fallback ? await db.modelPrice.findUnique({ where: { provider_model: where } }) : null;
  return { provider, model, restored: row ? toModelPriceDto(row, env) : null };
}

/** What seedModelPrices writes for a ref: the env entry wins over the list price. */
function findDefaultPrice(ref: string, env: Env) {
  const fromEnv = env.FACTORY_MODEL_PRICES?.[ref];
  if (fromEnv) {
    // An unspecified cache price is charged like fresh input, as seeding does.
    return toColumns({ input: fromEnv.input, output: fromEnv.output, cacheRead: fromEnv.cacheRead ?? fromEnv.input, cacheWrite: fromEnv.cacheWrite ?? fromEnv.input }, "env");
  }
  const listed = listPrices.find((price) => price.ref === ref);
  return listed ? toColumns(listed, "seed") : undefined;
}

function toColumns(price: { input: number; output: number; cacheRead: number; cacheWrite: number }, source: "env" | "seed") {
  const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
  return {
    inputPerMTok: round6(price.input),
    outputPerMTok: round6(price.output),
    cacheReadPerMTok: round6(price.cacheRead),
    cacheWritePerMTok: round6(price.cacheWrite),
    source,
  };
}
