import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "../env";
import { seedModelPrices } from "../llm/model-price";
import { resolveRunModelsOrThrow } from "./resolve-run-models";

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

afterEach(() => setEnv({ FACTORY_MODEL: undefined, FACTORY_MODEL_REVIEWER: undefined }));

describe("resolveRunModelsOrThrow", () => {
  it("names every unconfigured role in one message that says what to set", async () => {
    setEnv({ FACTORY_MODEL: undefined });
    const error = await resolveRunModelsOrThrow().catch((e) => e);
    expect(error.code).toBe("unprocessable");
    expect(error.message).toMatch(/No model is configured for planner, coder, tester, reviewer, fixer: set FACTORY_MODEL=/);
  });

  it("uses the role variable over the default, and the run's override over both", async () => {
    await seedModelPrices();
    setEnv({ FACTORY_MODEL: "openai-compatible:glm-5.2", FACTORY_MODEL_REVIEWER: "anthropic:claude-haiku-4-5" });
    const models = await resolveRunModelsOrThrow({ coder: "anthropic:claude-opus-4-7" });
    expect(models).toEqual({
      planner: "openai-compatible:glm-5.2",
      coder: "anthropic:claude-opus-4-7",
      tester: "openai-compatible:glm-5.2",
      reviewer: "anthropic:claude-haiku-4-5",
      fixer: "openai-compatible:glm-5.2",
    });
  });

  it("refuses a price-less model once, naming the roles that use it and how to price it", async () => {
    setEnv({ FACTORY_MODEL: "openai-compatible:my-vllm" });
    const error = await resolveRunModelsOrThrow().catch((e) => e);
    expect(error.message).toMatch(/planner, coder, tester, reviewer, fixer: No price is known for model "openai-compatible:my-vllm".*FACTORY_MODEL_PRICES/);
    expect(error.details.fields).toHaveLength(1);
  });
});
