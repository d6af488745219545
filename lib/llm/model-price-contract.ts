// The /api/model-prices contract: JSON shapes and the limits of a price edit (violations are
// 400s naming the field). No server imports, so the browser can use it too.
import { z } from "zod";
import type { PriceSource } from "../generated/prisma/enums";
import { providerNames, type AgentRoleName, type ProviderName } from "./model-ref";

/** Who wrote a price row: list prices, FACTORY_MODEL_PRICES, or an edit in Settings. */
export type { PriceSource };

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

/** $ per million tokens. The cap catches a price typed per thousand or per token by mistake. */
export const maxPricePerMTok = 1000;

const provider = z.enum(providerNames, { message: `must be one of ${providerNames.join(", ")}` });
const model = z
  .string({ message: "is required" })
  .trim()
  .min(1, { message: "must not be empty" })
  .max(200, { message: "must be at most 200 characters" })
  .regex(/^\S+$/, { message: "must not contain whitespace" });
const price = z
  .number({ message: "must be a number of US dollars per million tokens" })
  .min(0, { message: "must not be negative" })
  .max(maxPricePerMTok, { message: `must be at most ${maxPricePerMTok} $/MTok` });

/** Names one price row: DELETE /api/model-prices?provider=&model=. */
export const modelPriceKey = z.object({ provider, model });

/** The body of PUT /api/model-prices. */
export const setModelPriceInput = modelPriceKey.extend({ input: price, output: price, cacheRead: price, cacheWrite: price }).strict();

export type ModelPriceKey = z.infer<typeof modelPriceKey>;
export type SetModelPriceInput = z.infer<typeof setModelPriceInput>;

export type ResetModelPriceResult = { provider: string; model: string; restored: ModelPriceDto | null };
