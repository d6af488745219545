import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { computeCostUsd, computeWorstCaseUsd, findModelPrice, getModelPriceOrThrow, seedModelPrices } from "./model-price";
import { createLanguageModel, resolveModelForRole } from "./language-model";
import { parseModelRef } from "./model-ref";
const env = parseEnv({});

describe("model refs", () => {
  it("parses provider:model, keeping colons in the model part", () => {
    expect(parseModelRef("openai-compatible:qwen3:32b")).toEqual({ provider: "openai-compatible", model: "qwen3:32b", ref: "openai-compatible:qwen3:32b" });
    expect(() => parseModelRef("mistral:large")).toThrow(/provider:model/);
    expect(() => parseModelRef("anthropic:")).toThrow(AppError);
  });

  it("resolves a role's model: run override, then FACTORY_MODEL_<ROLE>, then FACTORY_MODEL", () => {
    const configured = parseEnv({ FACTORY_MODEL: "openai-compatible:glm-5.2", FACTORY_MODEL_REVIEWER: "anthropic:claude-opus-4-6" });
    expect(resolveModelForRole({ role: "coder", env: configured }).ref).toBe("openai-compatible:glm-5.2");
    expect(resolveModelForRole({ role: "reviewer", env: configured }).ref).toBe("anthropic:claude-opus-4-6");
    expect(resolveModelForRole({ role: "reviewer", env: configured, runModels: { reviewer: "openai:gpt-5.5" } }).ref).toBe("openai:gpt-5.5");
    expect(() => resolveModelForRole({ role: "coder", env })).toThrow(/set FACTORY_MODEL/);
  });

  it("builds provider models from env, naming the variable that is missing", () => {
    expect(() => createLanguageModel("openai-compatible:glm-5.2", env)).toThrow(/OPENAI_COMPATIBLE_BASE_URL is not set/);
    expect(() => createLanguageModel("anthropic:claude-opus-4-6", env)).toThrow(/ANTHROPIC_API_KEY is not set/);
    const configured = parseEnv({ OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:9/v1", ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "k" });
    expect(createLanguageModel("openai-compatible:glm-5.2", configured)).toMatchObject({ provider: "openai-compatible.chat", modelId: "glm-5.2" });
    expect(createLanguageModel("anthropic:claude-opus-4-6", configured)).toMatchObject({ modelId: "claude-opus-4-6" });
    expect(createLanguageModel("openai:gpt-5.5", configured)).toMatchObject({ modelId: "gpt-5.5" });
  });
});

describe("prices", () => {
  it("seeds list prices idempotently and never overwrites a user's edit", async () => {
    await seedModelPrices(env);
    const countAfterFirst = await db.modelPrice.count();
    expect(countAfterFirst).toBeGreaterThanOrEqual(15);
    await db.modelPrice.update({ where: { provider_model: { provider: "openai-compatible", model: "glm-5.2" } }, data: { inputPerMTok: 0.5, source: "user" } });
    await seedModelPrices(env);
    expect(await db.modelPrice.count()).toBe(countAfterFirst);
    expect((await findModelPrice("openai-compatible:glm-5.2", env))?.input).toBe(0.5);
    expect(await findModelPrice("anthropic:claude-opus-4-6", env)).toMatchObject({ input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 });
    expect(await findModelPrice("anthropic:claude-haiku-4-5-20251001", env)).toMatchObject({ input: 1, output: 5 });
    expect(await findModelPrice("openai-compatible:deepseek-v4-flash", env)).toBeDefined();
    expect(await findModelPrice("openai:gpt-5.5", env)).toBeDefined();
    expect(await findModelPrice("openai-compatible:gemini-3-pro-preview", env)).toBeDefined();
  });

  it("lets FACTORY_MODEL_PRICES add and override prices", async () => {
    const withPrices = parseEnv({ FACTORY_MODEL_PRICES: JSON.stringify({ "openai-compatible:my-vllm": { input: 0, output: 0 }, "anthropic:claude-opus-4-6": { input: 4, output: 20, cacheRead: 0.4 } }) });
    expect(await findModelPrice("openai-compatible:my-vllm", withPrices)).toMatchObject({ input: 0, output: 0, source: "env" });
    expect(await findModelPrice("anthropic:claude-opus-4-6", withPrices)).toMatchObject({ input: 4, output: 20, cacheRead: 0.4, cacheWrite: 4 });
  });

  it("refuses a model without a price, saying how to set one", async () => {
    const error = await getModelPriceOrThrow("openai-compatible:unknown-model", env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/No price is known for model "openai-compatible:unknown-model"/);
    expect((error as AppError).message).toMatch(/FACTORY_MODEL_PRICES/);
    expect((error as AppError).message).toMatch(/ModelPrice table/);
  });
});

describe("cost", () => {
  const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, source: "seed" as const };

  it("prices cache reads and writes apart from fresh input", () => {
    // 1000 input of which 600 cache reads and 100 cache writes: 300 fresh.
    const cost = computeCostUsd({ inputTokens: 1000, outputTokens: 200, cacheReadTokens: 600, cacheWriteTokens: 100 }, price);
    expect(cost).toBe(((300 * 3 + 600 * 0.3 + 100 * 3.75 + 200 * 15) / 1e6).toFixed(10));
  });

  it("bounds the worst case by prompt bytes at the dearest input rate plus max output", () => {
    const worst = Number(computeWorstCaseUsd({ promptBytes: 10_000, maxOutputTokens: 1000, price }));
    const actualAtBound = Number(computeCostUsd({ inputTokens: 10_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 10_000 }, price));
    expect(worst).toBeGreaterThanOrEqual(actualAtBound);
  });
});
