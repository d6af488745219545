import type { Env } from "../env";
import type { ModelPrice as ModelPriceRow } from "../generated/prisma/client";
import { findEnvPriceRef } from "./find-env-price-ref";
import type { ModelPriceDto, PriceSource } from "./model-price-dto";
import type { ProviderName } from "./model-ref";

/** A ModelPrice row as JSON: Decimal prices become plain numbers. */
export function toModelPriceDto(row: ModelPriceRow, env: Env): ModelPriceDto {
  return {
    provider: row.provider as ProviderName,
    model: row.model,
    ref: `${row.provider}:${row.model}`,
    input: Number(row.inputPerMTok),
    output: Number(row.outputPerMTok),
    cacheRead: Number(row.cacheReadPerMTok),
    cacheWrite: Number(row.cacheWritePerMTok),
    source: row.source as PriceSource,
    isSetByEnv: Boolean(findEnvPriceRef({ provider: row.provider, model: row.model, env })),
    updatedAt: row.updatedAt.toISOString(),
  };
}
