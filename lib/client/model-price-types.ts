// Type-only re-exports of /api/model-prices shapes for client code.
export type { ModelPriceDto, ModelPricesDto, PriceSource, ResetModelPriceResult, RoleModelDto, SetModelPriceInput } from "../llm/model-price-contract";
