import { afterEach, describe, expect, it } from "vitest";
import { parseEnv, resetEnvCache } from "@/lib/env";
import { parseModelRef } from "@/lib/llm/model-ref";
import { pickSessionModel } from "@/lib/llm/language-model";
import { loadEvalConfigs } from "@/eval/eval-configs";
import { loadEvalTasks } from "@/eval/eval-tasks";
import { planRunRequest } from "@/eval/run-eval-task";
import { db } from "@/lib/db";
import { seedModelPrices } from "@/lib/llm/model-price";
import { createRun, resolveRunModelsOrThrow } from "./create-run";
import { createRunInput } from "./create-run-input";

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

afterEach(() => setEnv({ FACTORY_MODEL: undefined, FACTORY_MODEL_REVIEWER: undefined, FACTORY_MODEL_FIXER: undefined }));

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

  it("keeps a ladder (run list or comma-separated FACTORY_MODEL_<ROLE>) in order, and a single model as a string", async () => {
    await seedModelPrices();
    setEnv({ FACTORY_MODEL: "openai-compatible:glm-5.2", FACTORY_MODEL_FIXER: "openai-compatible:glm-5.2, anthropic:claude-opus-4-7" });
    const models = await resolveRunModelsOrThrow({ coder: ["openai-compatible:glm-5.2", "anthropic:claude-sonnet-4-6"] });
    expect(models).toEqual({
      planner: "openai-compatible:glm-5.2",
      coder: ["openai-compatible:glm-5.2", "anthropic:claude-sonnet-4-6"],
      tester: "openai-compatible:glm-5.2",
      reviewer: "openai-compatible:glm-5.2",
      fixer: ["openai-compatible:glm-5.2", "anthropic:claude-opus-4-7"],
    });
  });

  it("refuses a ladder with a price-less model, naming that model and the role", async () => {
    await seedModelPrices();
    setEnv({ FACTORY_MODEL: "openai-compatible:glm-5.2" });
    const error = await resolveRunModelsOrThrow({ fixer: ["openai-compatible:glm-5.2", "openai-compatible:my-vllm"] }).catch((e) => e);
    expect(error.code).toBe("unprocessable");
    expect(error.message).toMatch(/fixer: No price is known for model "openai-compatible:my-vllm"/);
    expect(error.details.fields).toEqual([{ field: "models.fixer", message: expect.stringContaining("openai-compatible:my-vllm") }]);
  });

  it("refuses a malformed FACTORY_MODEL_<ROLE> ladder at start-up, saying what a ladder looks like", () => {
    expect(() => parseEnv({ FACTORY_MODEL_FIXER: "openai-compatible:glm-5.2,opus" })).toThrow(/FACTORY_MODEL_FIXER: expected "provider:model", or a comma-separated escalation ladder/);
  });
});

describe("createRunInput: attempts and ladders", () => {
  const base = { repo: "acme/widgets", title: "t", spec: "s", budgetUsd: 1 };
  it("accepts coderAttempts 1-8, escalateAfter and model lists, refusing out-of-range values by field", () => {
    expect(createRunInput.parse({ ...base, coderAttempts: 4, escalateAfter: 2, models: { coder: ["openai:gpt-5.4", "anthropic:claude-opus-4-7"], reviewer: "openai:gpt-5.4" } }))
      .toMatchObject({ coderAttempts: 4, escalateAfter: 2, models: { coder: ["openai:gpt-5.4", "anthropic:claude-opus-4-7"], reviewer: "openai:gpt-5.4" } });
    const fields = (input: object) => createRunInput.safeParse({ ...base, ...input }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(fields({ coderAttempts: 9 })).toEqual(["coderAttempts: must be at most 8"]);
    expect(fields({ coderAttempts: 0 })).toEqual(["coderAttempts: must be at least 1"]);
    expect(fields({ coderAttempts: 1.5 })).toEqual(["coderAttempts: must be a whole number from 1 to 8"]);
    expect(fields({ escalateAfter: 0 })).toEqual(["escalateAfter: must be at least 1"]);
    expect(fields({ models: { fixer: ["openai:gpt-5.4", "opus"] } })).toEqual(['models.fixer.1: must be "provider:model" with provider openai, anthropic or openai-compatible']);
    expect(fields({ models: { fixer: [] } })).toEqual(["models.fixer: must list at least one model"]);
    expect(fields({ models: { fixer: 42 } })).toEqual(['models.fixer: must be "provider:model" or a list of them']);
  });
});

describe("pickSessionModel", () => {
  const ladder = ["openai-compatible:glm-5.2", "anthropic:claude-sonnet-4-6", "anthropic:claude-opus-4-7"].map(parseModelRef);
  it("gives coder attempts the list's models in turn, cycling", () => {
    expect([1, 2, 3, 4].map((attempt) => pickSessionModel({ ladder, attempt, escalateAfter: 2 }).model.model)).toEqual(["glm-5.2", "claude-sonnet-4-6", "claude-opus-4-7", "glm-5.2"]);
  });
  it("moves up one model per escalateAfter iterations without converging, and stays on the last", () => {
    expect([0, 1, 2, 3, 4, 9].map((n) => pickSessionModel({ ladder, iterationsWithoutConverging: n, escalateAfter: 2 }).rung)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe("eval configurations drive a run's attempts and ladders", () => {
  it("sends glm-best-of-4's attempts and glm-escalate-opus's ladders and escalateAfter, and the run keeps them", async () => {
    await seedModelPrices();
    const configs = loadEvalConfigs();
    const [task] = loadEvalTasks();
    const bestOf4 = planRunRequest({ config: configs.get("glm-best-of-4")!, task, repo: "eval/best-of-4" });
    const escalating = planRunRequest({ config: configs.get("glm-escalate-opus")!, task, repo: "eval/escalate" });
    expect([bestOf4.unsupported, escalating.unsupported]).toEqual([[], []]);
    expect(bestOf4.body).toMatchObject({ coderAttempts: 4 });
    expect(escalating.body).toMatchObject({ escalateAfter: 2, models: { coder: ["openai-compatible:glm-5.2", "anthropic:claude-opus-4-7"], fixer: ["openai-compatible:glm-5.2", "anthropic:claude-opus-4-7"] } });

    const submit = async (body: Record<string, unknown>) => {
      const { id } = await createRun({ input: createRunInput.parse(body), requestRun: async () => {}, engineUrl: "test" });
      return db.run.findUniqueOrThrow({ where: { id }, select: { coderAttempts: true, escalateAfter: true, models: true } });
    };
    expect(await submit(bestOf4.body)).toMatchObject({ coderAttempts: 4, escalateAfter: 2 });
    expect(await submit(escalating.body)).toMatchObject({
      coderAttempts: null, escalateAfter: 2,
      models: { planner: "openai-compatible:glm-5.2", coder: ["openai-compatible:glm-5.2", "anthropic:claude-opus-4-7"], reviewer: "openai-compatible:glm-5.2" },
    });
  });
});
