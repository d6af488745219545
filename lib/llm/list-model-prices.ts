import { db } from "../db";
import { getEnv, type Env } from "../env";
import type { ModelPriceDto } from "./model-price-dto";
import { toModelPriceDto } from "./to-model-price-dto";

/** Every ModelPrice row, by provider then model, for Settings. */
export async function listModelPrices(options: { env?: Env } = {}): Promise<ModelPriceDto[]> {
  const env = options.env ?? getEnv();
  const rows = await db.modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }] });
  return rows.map((row) => toModelPriceDto(row, env));
}
