import { db } from "../db";
import { getEnv, type Env } from "../env";
import { AppError } from "../errors";
import { findEnvPriceRef } from "./find-env-price-ref";
import type { ModelPriceDto } from "./model-price-dto";
import type { SetModelPriceInput } from "./model-price-input";
import { toModelPriceDto } from "./to-model-price-dto";

/**
 * Adds or replaces a model's price as a user edit (source "user"), which seeding never
 * overwrites. Refused (409) while FACTORY_MODEL_PRICES prices the model: env prices win,
 * so the edit would silently change nothing.
 */
export async function setModelPrice(options: { input: SetModelPriceInput; env?: Env }): Promise<ModelPriceDto> {
  const env = options.env ?? getEnv();
  const { provider, model } = options.input;
  const envRef = findEnvPriceRef({ provider, model, env });
  if (envRef) {
    throw new AppError(
      "conflict",
      `FACTORY_MODEL_PRICES sets the price of "${envRef}", and it takes precedence over Settings. Change or remove it there, then restart the factory.`,
    );
  }
  const data = {
    inputPerMTok: round6(options.input.input),
    outputPerMTok: round6(options.input.output),
    cacheReadPerMTok: round6(options.input.cacheRead),
    cacheWritePerMTok: round6(options.input.cacheWrite),
    source: "user" as const,
  };
  const row = await db.modelPrice.upsert({
    where: { provider_model: { provider, model } },
    create: { provider, model, ...data },
    update: data,
  });
  return toModelPriceDto(row, env);
}

/** The column keeps six decimals; rounding here makes the answer equal what is stored. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
