// Model prices and what a call costs.
import type { LanguageModelUsage } from "ai";
import { db } from "@/lib/db";
import { getEnv, type Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ModelPrice as ModelPriceRow } from "@/lib/generated/prisma/client";
import type { PriceSource } from "@/lib/generated/prisma/enums";
import { resolveModelForRole } from "./language-model";
import { listPrices, type ModelPriceDto, type ModelPriceKey, type ResetModelPriceResult, type RoleModelDto, type SetModelPriceInput } from "./model-price-contract";
import { agentRoles, parseModelRef, type AgentRoleName, type ModelRef, type ProviderName } from "./model-ref";

// Prices: the ModelPrice table (seeded with list prices, editable in Settings) plus
// FACTORY_MODEL_PRICES overrides, which win. Every price fact is read and written here.
/** USD per million tokens. */
export type ModelPrice = { input: number; output: number; cacheRead: number; cacheWrite: number; source: PriceSource };

/** Env prices win over the table: they are the operator's explicit configuration. */
function readEnvPrice(ref: string, env: Env): ModelPrice | undefined {
  const entry = env.FACTORY_MODEL_PRICES?.[ref];
  if (!entry) return undefined;
  // An unspecified cache price is charged like fresh input, so cost is never under-counted.
  return { input: entry.input, output: entry.output, cacheRead: entry.cacheRead ?? entry.input, cacheWrite: entry.cacheWrite ?? entry.input, source: "env" };
}

/** The price of a model, or undefined. Dated ids ("claude-haiku-4-5-20251001") fall back to their alias. */
export async function findModelPrice(ref: string | ModelRef, env: Env = getEnv()): Promise<ModelPrice | undefined> {
  const parsed = typeof ref === "string" ? parseModelRef(ref) : ref;
  const candidates = [parsed.model, parsed.model.replace(/-\d{8}$/, "")];
  for (const model of candidates) {
    const fromEnv = readEnvPrice(`${parsed.provider}:${model}`, env);
    if (fromEnv) return fromEnv;
  }
  const rows = await db.modelPrice.findMany({ where: { provider: parsed.provider, model: { in: candidates } } });
  const row = candidates.map((model) => rows.find((r) => r.model === model)).find(Boolean);
  if (!row) return undefined;
  return {
    input: Number(row.inputPerMTok),
    output: Number(row.outputPerMTok),
    cacheRead: Number(row.cacheReadPerMTok),
    cacheWrite: Number(row.cacheWritePerMTok),
    source: row.source,
  };
}

/** Refuses a model with no known price before any call is made, saying how to add one. */
export async function getModelPriceOrThrow(ref: string | ModelRef, env: Env = getEnv()): Promise<ModelPrice> {
  const parsed = typeof ref === "string" ? parseModelRef(ref) : ref;
  const price = await findModelPrice(parsed, env);
  if (price) return price;
  throw new AppError(
    "unprocessable",
    `No price is known for model "${parsed.ref}", so its spending cannot be bounded. ` +
      `Set one with FACTORY_MODEL_PRICES='{"${parsed.ref}": {"input": 1.4, "output": 4, "cacheRead": 0.14, "cacheWrite": 0}}' ($ per million tokens; 0 for a free local model), ` +
      `or add a row for provider "${parsed.provider}", model "${parsed.model}" to the ModelPrice table (Settings).`,
  );
}

/**
 * Inserts list prices and FACTORY_MODEL_PRICES entries. Idempotent; refreshes rows it owns
 * (source seed/env) and never touches a row a user edited (source "user").
 */
export async function seedModelPrices(env: Env = getEnv()): Promise<number> {
  const entries = [
    ...listPrices.map((p) => ({ ...p, source: "seed" as const })),
    ...Object.entries(env.FACTORY_MODEL_PRICES ?? {}).map(([ref, p]) => ({
      ref,
      input: p.input,
      output: p.output,
      cacheRead: p.cacheRead ?? p.input,
      cacheWrite: p.cacheWrite ?? p.input,
      source: "env" as const,
    })),
  ];
  let written = 0;
  for (const entry of entries) {
    const { provider, model } = parseModelRef(entry.ref);
    const data = {
      inputPerMTok: entry.input,
      outputPerMTok: entry.output,
      cacheReadPerMTok: round6(entry.cacheRead),
      cacheWritePerMTok: round6(entry.cacheWrite),
      source: entry.source,
    };
    const existing = await db.modelPrice.findUnique({ where: { provider_model: { provider, model } }, select: { source: true } });
    if (existing?.source === "user") continue;
    // An env price wins over the list price while it is configured; once removed, the list price returns.
    if (existing?.source === "env" && entry.source === "seed" && env.FACTORY_MODEL_PRICES?.[`${provider}:${model}`]) continue;
    await db.modelPrice.upsert({ where: { provider_model: { provider, model } }, create: { provider, model, ...data }, update: data });
    written += 1;
  }
  return written;
}

/** The columns keep six decimals; rounding first makes an answer equal what is stored. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

// Settings: the table as JSON, user edits, resets, and what each role would run with.

/** Every ModelPrice row, by provider then model, for Settings. */
export async function listModelPrices(options: { env?: Env } = {}): Promise<ModelPriceDto[]> {
  const env = options.env ?? getEnv();
  const rows = await db.modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }] });
  return rows.map((row) => toModelPriceDto(row, env));
}

/** A ModelPrice row as JSON: Decimal prices become plain numbers. */
function toModelPriceDto(row: ModelPriceRow, env: Env): ModelPriceDto {
  return {
    provider: row.provider as ProviderName,
    model: row.model,
    ref: `${row.provider}:${row.model}`,
    input: Number(row.inputPerMTok),
    output: Number(row.outputPerMTok),
    cacheRead: Number(row.cacheReadPerMTok),
    cacheWrite: Number(row.cacheWritePerMTok),
    source: row.source,
    isSetByEnv: Boolean(findEnvPriceRef({ provider: row.provider, model: row.model, env })),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Which FACTORY_MODEL_PRICES entry prices a model, mirroring findModelPrice: an env entry for
 * the model or its undated alias wins over any table row, so a Settings edit would do nothing.
 */

function findEnvPriceRef(options: { provider: string; model: string; env: Env }): string | undefined {
  const { provider, model, env } = options;
  const candidates = [model, model.replace(/-\d{8}$/, "")].map((candidate) => `${provider}:${candidate}`);
  return candidates.find((ref) => env.FACTORY_MODEL_PRICES?.[ref]);
}

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
  return {
    inputPerMTok: round6(price.input),
    outputPerMTok: round6(price.output),
    cacheReadPerMTok: round6(price.cacheRead),
    cacheWritePerMTok: round6(price.cacheWrite),
    source,
  };
}

export async function describeRoleModels(options: { env?: Env } = {}): Promise<RoleModelDto[]> {
  const env = options.env ?? getEnv();
  return Promise.all(agentRoles.map((role) => describeRoleModel(role, env)));
}

async function describeRoleModel(role: AgentRoleName, env: Env): Promise<RoleModelDto> {
  const roleVariable = `FACTORY_MODEL_${role.toUpperCase()}`;
  let ref: string;
  try {
    ref = resolveModelForRole({ role, env }).ref;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { role, model: null, configuredBy: null, price: null, problem: error.message };
  }
  const configuredBy = env[roleVariable as keyof Env] ? roleVariable : "FACTORY_MODEL";
  const price = await findModelPrice(ref, env);
  if (!price) {
    return {
      role,
      model: ref,
      configuredBy,
      price: null,
      problem: `No price for "${ref}": runs will be refused. Add its price below, or set it in FACTORY_MODEL_PRICES.`,
    };
  }
  const { input, output, cacheRead, cacheWrite, source } = price;
  return { role, model: ref, configuredBy, price: { input, output, cacheRead, cacheWrite, source }, problem: null };
}

// Usage -> USD, and the worst case a call could cost (what the budget guard reserves).
/** Token counts of one call with cache reads and writes separated out of input. */
export type CallTokens = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };

/** Money is kept as strings with 10 decimals, the precision of the database columns. */
function toUsdDecimalString(value: number, rounding: "round" | "ceil" = "round"): string {
  const scaled = value * 1e10;
  const integer = rounding === "ceil" ? Math.ceil(scaled - 1e-6) : Math.round(scaled);
  return (integer / 1e10).toFixed(10);
}

export function readCallTokens(usage: LanguageModelUsage | undefined): CallTokens {
  const cacheReadTokens = usage?.inputTokenDetails?.cacheReadTokens ?? 0;
  const cacheWriteTokens = usage?.inputTokenDetails?.cacheWriteTokens ?? 0;
  return {
    inputTokens: usage?.inputTokens ?? cacheReadTokens + cacheWriteTokens + (usage?.inputTokenDetails?.noCacheTokens ?? 0),
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
  };
}

/** inputTokens includes cache reads and writes (AI SDK convention); each part has its own price. */
export function computeCostUsd(tokens: CallTokens, price: ModelPrice): string {
  const freshInput = Math.max(0, tokens.inputTokens - tokens.cacheReadTokens - tokens.cacheWriteTokens);
  const micro =
    freshInput * price.input +
    tokens.cacheReadTokens * price.cacheRead +
    tokens.cacheWriteTokens * price.cacheWrite +
    tokens.outputTokens * price.output;
  return toUsdDecimalString(micro / 1e6);
}

/** Overhead for chat-template tokens the provider adds around messages and tools. */
const templateTokenAllowance = 512;

/**
 * Worst-case cost: every UTF-8 byte of the prompt counted as one token at the dearest input
 * rate (a cache write can cost more than fresh input), plus every allowed output token.
 */
export function computeWorstCaseUsd(options: { promptBytes: number; maxOutputTokens: number; price: ModelPrice }): string {
  const inputRate = Math.max(options.price.input, options.price.cacheRead, options.price.cacheWrite);
  const inputBound = options.promptBytes + templateTokenAllowance;
  return toUsdDecimalString((inputBound * inputRate + options.maxOutputTokens * options.price.output) / 1e6, "ceil");
}
