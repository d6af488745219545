// The price contract shared with the browser, and the list prices the table is seeded with.
import { z } from "zod";
import type { PriceSource } from "@/lib/generated/prisma/enums";
import { providerNames, type AgentRoleName, type ProviderName } from "./model-ref";

// The /api/model-prices contract: JSON shapes and the limits of a price edit (violations are
// 400s naming the field). No server imports, so the browser can use it too.
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
const maxPricePerMTok = 1000;

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

// List prices in USD per million tokens, from the providers' pricing pages as quoted during
// 2026 (OpenAI June, Gemini and Z.ai mid-year, DeepSeek October). Seeded into ModelPrice;
// users correct them in the table (Settings) or with FACTORY_MODEL_PRICES.
// Anthropic: cache reads 0.1x input, 5-minute cache writes 1.25x input. OpenAI and Gemini:
// cached input 0.1x, no write surcharge. DeepSeek: cache hits per its pricing page.

export type ListPrice = {
  ref: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
};

const anthropic = (model: string, input: number, output: number): ListPrice => ({
  ref: `anthropic:${model}`,
  input,
  output,
  cacheRead: input * 0.1,
  cacheWrite: input * 1.25,
});

const cachedAtTenth = (ref: string, input: number, output: number): ListPrice => ({
  ref,
  input,
  output,
  cacheRead: input * 0.1,
  cacheWrite: 0,
});

export const listPrices: ListPrice[] = [
  // Anthropic: Opus 4.5 and later at $5/$25; Sonnet 4.x $3/$15; Haiku 4.5 $1/$5.
  anthropic("claude-opus-4-7", 5, 25),
  anthropic("claude-opus-4-6", 5, 25),
  anthropic("claude-opus-4-5", 5, 25),
  anthropic("claude-sonnet-4-6", 3, 15),
  anthropic("claude-sonnet-4-5", 3, 15),
  anthropic("claude-haiku-4-5", 1, 5),
  // OpenAI.
  cachedAtTenth("openai:gpt-5.5", 5, 30),
  cachedAtTenth("openai:gpt-5.4", 2.5, 15),
  cachedAtTenth("openai:gpt-5.4-mini", 0.75, 4.5),
  cachedAtTenth("openai:gpt-5.4-nano", 0.2, 1.25),
  cachedAtTenth("openai:gpt-5.2", 1.75, 14),
  cachedAtTenth("openai:gpt-5-mini", 0.25, 2),
  // Z.ai GLM through its OpenAI-compatible endpoint (cached input $0.26 per Z.ai's table).
  // GLM 5.2 output at $4.00 as issue 3 specifies; some resellers list $4.40.
  { ref: "openai-compatible:glm-5.2", input: 1.4, output: 4, cacheRead: 0.26, cacheWrite: 0 },
  { ref: "openai-compatible:glm-5.1", input: 1.4, output: 4.4, cacheRead: 0.26, cacheWrite: 0 },
  { ref: "openai-compatible:glm-5", input: 1, output: 3.2, cacheRead: 0.2, cacheWrite: 0 },
  // DeepSeek (OpenAI-compatible). deepseek-chat is an alias of V4 Flash (non-thinking).
  { ref: "openai-compatible:deepseek-v4-flash", input: 0.14, output: 0.28, cacheRead: 0.0028, cacheWrite: 0 },
  { ref: "openai-compatible:deepseek-chat", input: 0.14, output: 0.28, cacheRead: 0.0028, cacheWrite: 0 },
  { ref: "openai-compatible:deepseek-v4-pro", input: 1.74, output: 3.48, cacheRead: 0.0145, cacheWrite: 0 },
  // Google Gemini through its OpenAI-compatible endpoint (prompts up to 200k tokens).
  cachedAtTenth("openai-compatible:gemini-3.1-pro-preview", 2, 12),
  cachedAtTenth("openai-compatible:gemini-3-pro-preview", 2, 12),
  cachedAtTenth("openai-compatible:gemini-3-flash-preview", 0.5, 3),
];
