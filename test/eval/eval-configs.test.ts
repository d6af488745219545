// The eval's configuration rules and report arithmetic, without running the factory.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalConfigs, resolveEvalConfigsOrThrow } from "@/eval/eval-configs";
import { buildEvalReport, formatSummaryTable, formatTaskGrid, summarizeConfig } from "@/eval/eval-report";
import { loadEvalTasks } from "@/eval/eval-tasks";
import { planRunRequest, type EvalTaskResult } from "@/eval/run-eval-task";

function writeConfigs(configs: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "eval-configs-")), "configs.json");
  writeFileSync(file, JSON.stringify(configs));
  return file;
}

const keys = { ANTHROPIC_API_KEY: "sk-ant-test", OPENAI_API_KEY: "sk-test", OPENAI_COMPATIBLE_BASE_URL: "https://api.z.ai/api/paas/v4", OPENAI_COMPATIBLE_API_KEY: "zai-test" };

describe("eval configurations", () => {
  it("every shipped configuration is valid and passes the checks when its keys are set", () => {
    const configs = loadEvalConfigs();
    expect([...configs.keys()]).toEqual(expect.arrayContaining(["scripted", "single-opus", "glm-best-of-4", "glm-escalate-opus"]));
    const resolved = resolveEvalConfigsOrThrow({ names: [...configs.keys()], configs, source: { ...keys, DEEPSEEK_API_KEY: "ds-test" } });
    expect(resolved.find((c) => c.name === "glm-best-of-4")).toMatchObject({ attempts: 4, roleModels: { coder: ["openai-compatible:glm-5.2"], reviewer: ["openai-compatible:glm-5.2"] } });
    expect(resolved.find((c) => c.name === "glm-escalate-opus")?.roleModels.coder).toEqual(["openai-compatible:glm-5.2", "anthropic:claude-opus-4-7"]);
    expect(resolved.find((c) => c.name === "glm-opus-reviewer")?.roleModels).toMatchObject({ reviewer: ["anthropic:claude-opus-4-7"], planner: ["openai-compatible:glm-5.2"] });
  });

  it("refuses a malformed file naming each bad field", () => {
    const file = writeConfigs({
      bad: { description: "x", models: { default: "gpt-5" }, attempts: 9 },
      partial: { description: "no default", models: { coder: "openai:gpt-5.4" } },
    });
    expect(() => loadEvalConfigs(file)).toThrow(/bad\.models\.default: must be "provider:model"[\s\S]*bad\.attempts[\s\S]*partial\.models: no model for planner, tester, reviewer, fixer/);
  });

  it("a config's own prices and environment count; $NAME reads the variable", () => {
    const configs = loadEvalConfigs(writeConfigs({
      local: {
        description: "own vLLM",
        models: { default: "openai-compatible:qwen-coder" },
        prices: { "openai-compatible:qwen-coder": { input: 0, output: 0 } },
        env: { OPENAI_COMPATIBLE_BASE_URL: "http://127.0.0.1:8000/v1" },
      },
      hosted: { description: "x", models: { default: "openai-compatible:deepseek-chat" }, env: { OPENAI_COMPATIBLE_BASE_URL: "https://api.deepseek.com/v1", OPENAI_COMPATIBLE_API_KEY: "$DS_KEY" } },
    }));
    // A local server needs no key, and its price comes from the config.
    expect(resolveEvalConfigsOrThrow({ names: ["local"], configs, source: {} })).toHaveLength(1);
    expect(() => resolveEvalConfigsOrThrow({ names: ["hosted"], configs, source: {} })).toThrow('hosted: DS_KEY is not set (the "hosted" config reads OPENAI_COMPATIBLE_API_KEY from it)');
    expect(resolveEvalConfigsOrThrow({ names: ["hosted"], configs, source: { DS_KEY: "k" } })).toHaveLength(1);
  });

  it("a hosted OpenAI-compatible server without a key is refused; a dated model id finds its alias's price", () => {
    const configs = loadEvalConfigs(writeConfigs({
      glm: { description: "x", models: { default: "openai-compatible:glm-5.2" } },
      haiku: { description: "x", models: { default: "anthropic:claude-haiku-4-5-20251001" } },
    }));
    expect(() => resolveEvalConfigsOrThrow({ names: ["glm"], configs, source: { OPENAI_COMPATIBLE_BASE_URL: "https://api.z.ai/api/paas/v4" } })).toThrow("glm: OPENAI_COMPATIBLE_API_KEY is not set");
    expect(resolveEvalConfigsOrThrow({ names: ["haiku"], configs, source: keys })).toHaveLength(1);
  });

  it("no configuration at all is refused with the list", () => {
    expect(() => resolveEvalConfigsOrThrow({ names: [], configs: loadEvalConfigs() })).toThrow(/--config[\s\S]*scripted, single-opus/);
  });
});

describe("the run request", () => {
  const [task] = loadEvalTasks();
  const configs = loadEvalConfigs();

  it("sends the task's spec, visible test command, budget and each role's model", () => {
    const plan = planRunRequest({ config: configs.get("single-opus")!, task, repo: "eval/x" });
    expect(plan.body).toMatchObject({
      repo: "eval/x", title: task.title, spec: task.spec, testCommand: task.testCommand, setupCommand: "", budgetUsd: 5, maxIterations: 3,
      models: { planner: "anthropic:claude-opus-4-7", coder: "anthropic:claude-opus-4-7", tester: "anthropic:claude-opus-4-7", reviewer: "anthropic:claude-opus-4-7", fixer: "anthropic:claude-opus-4-7" },
    });
    expect(plan.unsupported).toEqual([]);
  });

  it("passes attempts and ladders only when POST /api/runs accepts them, and says what it left out", () => {
    for (const name of ["glm-best-of-4", "glm-escalate-opus"]) {
      const config = configs.get(name)!;
      const plan = planRunRequest({ config, task, repo: "eval/x" });
      const sentAttempts = plan.body.attempts ?? plan.body.coderAttempts;
      if (config.attempts > 1) expect(sentAttempts === config.attempts || plan.unsupported.some((u) => u.startsWith(`attempts ${config.attempts}`))).toBe(true);
      const coder = (plan.body.models as Record<string, unknown>).coder;
      if (config.roleModels.coder.length > 1) {
        expect(JSON.stringify(coder) === JSON.stringify(config.roleModels.coder) || (coder === config.roleModels.coder[0] && plan.unsupported.some((u) => u.startsWith("model ladders")))).toBe(true);
      }
    }
  });
});

describe("the report", () => {
  const result = (over: Partial<EvalTaskResult>): EvalTaskResult => ({
    taskId: "t", config: "c", runId: "r", runStatus: "succeeded", isResolved: true, hiddenTests: null, reason: null, costUsd: 0, iterations: 1,
    plannedTasks: 1, llmCalls: 1, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, wallTimeSec: 10, pullRequests: [], applied: { coderAttempts: null, models: null }, ...over,
  });

  it("$ per resolved task spreads the whole spend over the resolved tasks", () => {
    const summary = summarizeConfig("c", [
      result({ taskId: "a", costUsd: 0.3, iterations: 1, wallTimeSec: 10 }),
      result({ taskId: "b", costUsd: 0.5, iterations: 3, wallTimeSec: 30, isResolved: false, reason: "hidden tests failed" }),
      result({ taskId: "c", costUsd: 0.4, iterations: 2, wallTimeSec: 20 }),
    ], []);
    expect(summary).toMatchObject({ tasks: 3, resolved: 2, meanIterations: 2, meanWallTimeSec: 20, totalWallTimeSec: 60 });
    expect(summary.resolveRate).toBeCloseTo(2 / 3);
    expect(summary.totalCostUsd).toBeCloseTo(1.2);
    expect(summary.costPerTaskUsd).toBeCloseTo(0.4);
    expect(summary.costPerResolvedUsd).toBeCloseTo(0.6);
    expect(summarizeConfig("none", [result({ isResolved: false })], []).costPerResolvedUsd).toBeNull();
  });

  it("prints configurations side by side, and tasks against configurations", () => {
    const configs = loadEvalConfigs();
    const report = buildEvalReport({
      startedAt: new Date(), engine: "test", taskIds: ["a", "b"], configs: [configs.get("single-opus")!, configs.get("single-glm")!],
      unsupported: new Map(),
      results: [
        result({ taskId: "a", config: "single-opus", costUsd: 1.5 }), result({ taskId: "b", config: "single-opus", costUsd: 0.5, isResolved: false }),
        result({ taskId: "a", config: "single-glm", costUsd: 0.2 }), result({ taskId: "b", config: "single-glm", costUsd: 0.2 }),
      ],
    });
    const table = formatSummaryTable(report.summary).split("\n");
    expect(table[2]).toMatch(/^\| single-opus +\| 1\/2 +\| 50% +\| \$1\.00 +\| \$2\.00 +\| 1\.0 +\| 10\.0 s +\| \$2\.00 +\|$/);
    expect(table[3]).toMatch(/^\| single-glm +\| 2\/2 +\| 100% +\| \$0\.20 +\| \$0\.20 +\|/);
    const grid = formatTaskGrid(report).split("\n");
    expect(grid[0]).toMatch(/^\| task +\| single-opus +\| single-glm +\|$/);
    expect(grid[3]).toMatch(/^\| b +\| ✗ \$0\.50 1 it 10\.0 s +\| ✓ \$0\.20 1 it 10\.0 s +\|$/);
  });
});
