// Models, prices and the budget guard: the factory's only way to call an LLM.
export { releaseAbandonedReservations, reserveBudget, settleCall } from "./budget-guard";
export { callModel, ModelCallError, type CallModelInput, type CallModelResult } from "./call-model";
export { computeCostUsd, computeWorstCaseUsd, readCallTokens, type CallTokens } from "./compute-cost";
export { createLanguageModel } from "./create-language-model";
export { findModelPrice, getModelPriceOrThrow, seedModelPrices, type ModelPrice } from "./model-price";
export { parseModelRef, providerNames, type ModelRef, type ProviderName } from "./model-ref";
export { resolveModelForRole, type AgentRoleName } from "./resolve-model";
export { withRetries, type RetryOptions } from "./with-retries";
export { describeRoleModels } from "./describe-role-models";
export { listModelPrices } from "./list-model-prices";
export { resetModelPrice, type ResetModelPriceResult } from "./reset-model-price";
export { setModelPrice } from "./set-model-price";
export type { ModelPriceDto, ModelPricesDto, PriceSource, RoleModelDto } from "./model-price-dto";
