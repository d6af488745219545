// `npm run eval` as CI runs it: the scripted configuration on two tasks (one JavaScript, one
// Python) through the whole factory, as a child process; and bad input refused before any work.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvalReport } from "@/eval/eval-report";
import { findCanaries } from "@/test/secret-canaries";

const root = path.resolve(import.meta.dirname, "..", "..");

function runEvalCli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // undefined removes a variable (an empty ANTHROPIC_BASE_URL would break the Anthropic SDK at import).
    const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "eval.ts"), ...args], {
      cwd: root,
      env: childEnv as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run eval", () => {
  it("solves two tasks with the scripted model through the whole factory, and reports them", async () => {
    const jsonPath = path.join(mkdtempSync(path.join(os.tmpdir(), "eval-cli-")), "report.json");
    const { code, stdout, stderr } = await runEvalCli(["--config", "scripted", "--tasks", "js-slugify,py-roman", "--json", jsonPath]);
    expect(code, stderr).toBe(0);

    // The table, side by side per configuration, and the per-task grid.
    expect(stdout).toMatch(/\| config +\| resolved +\| resolve rate +\| \$ \/ task +\| \$ \/ resolved +\| iterations \/ task +\| wall time \/ task +\| total \$ +\|/);
    expect(stdout).toMatch(/\| scripted +\| 2\/2 +\| 100% +\| \$0\.\d+ +\| \$0\.\d+ +\| \d+\.\d +\| [\d.]+ (s|min) +\| \$0\.\d+ +\|/);
    expect(stdout).toMatch(/\| js-slugify +\| ✓ \$/);
    expect(stdout).toMatch(/\| py-roman +\| ✓ \$/);
    // Progress went to stderr, one line per task when not a terminal.
    expect(stderr).toMatch(/\[eval\] scripted 2\/2 \S+: resolved/);

    const json = readFileSync(jsonPath, "utf8");
    // The child inherited this process's canary keys; none may reach the output or the report.
    expect(findCanaries(stdout + stderr + json)).toEqual([]);
    const report = JSON.parse(json) as EvalReport;
    expect(report.tasks).toEqual(["js-slugify", "py-roman"]);
    expect(report.summary).toEqual([
      expect.objectContaining({ config: "scripted", tasks: 2, resolved: 2, resolveRate: 1, meanIterations: 1, unsupported: [] }),
    ]);
    const [summary] = report.summary;
    expect(summary.totalCostUsd).toBeGreaterThan(0);
    expect(summary.costPerResolvedUsd).toBeCloseTo(summary.totalCostUsd / 2, 10);
    expect(summary.costPerTaskUsd).toBeCloseTo(summary.totalCostUsd / 2, 10);
    expect(report.results.find((r) => r.taskId === "js-slugify")?.hiddenTests?.passed).toBe(8);
    for (const result of report.results) {
      expect(result).toMatchObject({ config: "scripted", runStatus: "succeeded", isResolved: true, reason: null, plannedTasks: 1, iterations: 1 });
      // The hidden suites ran on the PR branch (node --test reports its 8 tests; unittest only its exit code).
      expect(result.hiddenTests).toMatchObject({ outcome: "passed", failed: 0 });
      expect(result.pullRequests).toHaveLength(1);
      expect(result.costUsd).toBeGreaterThan(0);
      expect(result.llmCalls).toBeGreaterThanOrEqual(7);
      expect(result.wallTimeSec).toBeGreaterThan(0);
      expect(result.applied.models).toMatchObject({ coder: "openai-compatible:scripted-model", reviewer: "openai-compatible:scripted-model" });
    }
  }, 240_000);

  it("refuses unknown configurations and tasks before any work, naming what is known", async () => {
    const jsonPath = path.join(mkdtempSync(path.join(os.tmpdir(), "eval-cli-")), "report.json");
    const config = await runEvalCli(["--config", "scripted", "--config", "gpt-9-best-of-100", "--json", jsonPath]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('Unknown configuration "gpt-9-best-of-100"');
    expect(config.stderr).toContain("single-opus");
    expect(config.stdout).toBe("");
    expect(existsSync(jsonPath)).toBe(false);

    const task = await runEvalCli(["--config", "scripted", "--tasks", "js-slugify,left-pad"]);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('Unknown eval task "left-pad"');
    expect(task.stderr).toContain("py-roman");
  }, 60_000);

  it("refuses unpriced models and missing keys up front, every problem in one message", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "eval-configs-"));
    const configsPath = path.join(dir, "configs.json");
    writeFileSync(configsPath, JSON.stringify({
      "mystery": { description: "a model nobody priced", models: { default: "openai-compatible:mystery-7b" } },
      "opus": { description: "needs an Anthropic key", models: { default: "anthropic:claude-opus-4-7" } },
      "deepseek": { description: "key from a named variable", models: { default: "openai-compatible:deepseek-v4-flash" }, env: { OPENAI_COMPATIBLE_BASE_URL: "https://api.deepseek.com/v1", OPENAI_COMPATIBLE_API_KEY: "$DEEPSEEK_API_KEY" } },
    }));
    const { code, stderr, stdout } = await runEvalCli(
      ["--configs", configsPath, "--config", "mystery", "--config", "opus", "--config", "deepseek"],
      { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, DEEPSEEK_API_KEY: undefined, OPENAI_COMPATIBLE_BASE_URL: "https://llm.example.test/v1", OPENAI_COMPATIBLE_API_KEY: "test-key" },
    );
    expect(code, stderr).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('mystery: no price is known for "openai-compatible:mystery-7b"');
    expect(stderr).toContain("opus: ANTHROPIC_API_KEY is not set");
    expect(stderr).toContain('deepseek: DEEPSEEK_API_KEY is not set (the "deepseek" config reads OPENAI_COMPATIBLE_API_KEY from it)');
    expect(stderr).not.toContain("eval failed");
  }, 60_000);
});
