// The JSON shapes of /api/model-prices. Type-only, so browser code can import them.
import type { AgentRoleName } from "./resolve-model";
import type { ProviderName } from "./model-ref";

/** Who wrote a price row: list prices, FACTORY_MODEL_PRICES, or an edit in Settings. */
export type PriceSource = "seed" | "env" | "user";

/** One ModelPrice row; prices in USD per million tokens. */
export type ModelPriceDto = {
  provider: ProviderName;
  model: string;
  ref: string; // "provider:model"
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  source: PriceSource;
  /** FACTORY_MODEL_PRICES prices this model too, and env prices win over the table. */
  isSetByEnv: boolean;
  updatedAt: string; // ISO
};

/** The model a role runs with when a run does not override it, and what it costs. */
export type RoleModelDto = {
  role: AgentRoleName;
  /** "provider:model", or null when no model is configured for the role. */
  model: string | null;
  /** The variable the model comes from. */
  configuredBy: string | null;
  /** The price cost is computed with (env wins over the table), or null when unknown. */
  price: { input: number; output: number; cacheRead: number; cacheWrite: number; source: PriceSource } | null;
  /** Why runs would be refused, or null when the role is ready. */
  problem: string | null;
};

export type ModelPricesDto = { prices: ModelPriceDto[]; roles: RoleModelDto[] };
