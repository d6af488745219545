// Type-only re-exports of /api/model-prices shapes for client code.
export type { ModelPriceDto, ModelPricesDto, PriceSource, RoleModelDto } from "../llm/model-price-dto";
export type { ResetModelPriceResult } from "../llm/reset-model-price";
export type { SetModelPriceInput } from "../llm/model-price-input";
