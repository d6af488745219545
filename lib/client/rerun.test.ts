import { describe, expect, it } from "vitest";
import { emptyRoleModelTexts, toRerunPrefill, toRunModelsInput } from "./rerun";

describe("toRerunPrefill", () => {
  it("starts from the run's repository, spec, limits, and each role's model or ladder", () => {
    const run: Parameters<typeof toRerunPrefill>[0] = {
      id: "run_1", repository: "acme/widgets", title: "Add CSV export", spec: "# Export", budgetUsd: 7.5, maxIterations: 4,
      models: { planner: "openai:gpt-5.4", coder: "openai:gpt-5.4-mini", reviewer: "openai:gpt-5.4" },
      modelLadders: { coder: ["openai:gpt-5.4-mini", "openai:gpt-5.5"] },
    };
    expect(toRerunPrefill(run)).toEqual({
      sourceRunId: "run_1", repo: "acme/widgets", title: "Add CSV export", spec: "# Export", budgetUsd: 7.5, maxIterations: 4,
      models: { planner: "openai:gpt-5.4", coder: "openai:gpt-5.4-mini, openai:gpt-5.5", tester: "", reviewer: "openai:gpt-5.4", fixer: "" },
    });
  });
});

describe("toRunModelsInput", () => {
  it("sends one model as a string, a comma-separated list as a ladder, and leaves empty roles out", () => {
    expect(toRunModelsInput({ ...emptyRoleModelTexts(), reviewer: " openai:gpt-5.5 ", coder: "openai:gpt-5.4-mini,  openai:gpt-5.5," })).toEqual({
      coder: ["openai:gpt-5.4-mini", "openai:gpt-5.5"],
      reviewer: "openai:gpt-5.5",
    });
    expect(toRunModelsInput(emptyRoleModelTexts())).toBeUndefined();
  });
});
