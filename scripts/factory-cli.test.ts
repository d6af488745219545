// The CLI as a user runs it: a child process against a scripted model server and a sample
// git repository, with the test's database.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSampleRepo, git, scriptedModel, scriptedPrice } from "@/test/agent-fixtures";
import { startScriptedLlmServer, type ScriptedLlmServer } from "@/test/scripted-llm-server";
import { findCanaries } from "@/test/secret-canaries";

const root = path.resolve(import.meta.dirname, "..");
let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
});
afterAll(() => server.close());

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, "node_modules", ".bin", "tsx"),
      [path.join(root, "scripts", "factory-cli.ts"), ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          OPENAI_COMPATIBLE_BASE_URL: server.baseUrl,
          FACTORY_MODEL_PRICES: JSON.stringify({ [scriptedModel]: scriptedPrice }),
          FACTORY_MODEL: scriptedModel,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("factory CLI", () => {
  it("runs a coder session that edits files and commits, and prints a last line of JSON", async () => {
    const workspace = createSampleRepo();
    const before = git(workspace, "rev-parse", "HEAD");
    server.push(
      { toolCalls: [{ name: "read_file", args: { path: "src/greet.js" } }], usage: { promptTokens: 900, completionTokens: 20, cachedTokens: 0 } },
      { toolCalls: [{ name: "edit_file", args: { path: "src/greet.js", oldText: "Hello", newText: "Hi" } }], usage: { promptTokens: 1000, completionTokens: 30, cachedTokens: 800 } },
      { toolCalls: [{ name: "finish", args: { summary: "Greeting shortened." } }], usage: { promptTokens: 1100, completionTokens: 10, cachedTokens: 900 } },
    );
    const result = await runCli(["agent", "--role", "coder", "--workspace", workspace, "--task", "Say Hi instead of Hello", "--budget-usd", "0.5", "--max-turns", "10"]);
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.some((line) => line.startsWith("[turn 2] edit_file"))).toBe(true);
    const summary = JSON.parse(lines.at(-1)!);
    expect(summary).toMatchObject({ status: "finished", stopReason: "finished", turns: 3, inputTokens: 3000, outputTokens: 60, cacheReadTokens: 1700, filesChanged: ["src/greet.js"] });
    expect(summary.costUsd).toBeCloseTo((1300 * 1 + 1700 * 0.1 + 60 * 2) / 1e6, 10);
    expect(readFileSync(path.join(workspace, "src/greet.js"), "utf8")).toContain("`Hi ${name}`");
    expect(git(workspace, "rev-parse", "HEAD")).not.toBe(before);
    expect(git(workspace, "rev-parse", "HEAD")).toBe(summary.commit);
    expect(git(workspace, "log", "-1", "--format=%an|%s")).toMatch(/^Dark Factory\|factory\(coder\)/);
    expect(git(workspace, "status", "--porcelain")).toBe("");
    expect(findCanaries(result.stdout + result.stderr)).toEqual([]);
  });

  it("exits non-zero naming the bad argument", async () => {
    const [badRole, badBudget, missingTask] = await Promise.all([
      runCli(["agent", "--role", "wizard", "--workspace", ".", "--task", "x"]),
      runCli(["agent", "--role", "coder", "--workspace", ".", "--task", "x", "--budget-usd", "lots"]),
      runCli(["agent", "--role", "coder", "--workspace", "."]),
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of planner, coder, tester, reviewer, fixer/);
    expect(badBudget.stderr).toMatch(/--budget-usd must be a number/);
    expect(missingTask.stderr).toMatch(/--task is required/);
  });

  it("refuses a model without a price before any call", async () => {
    const workspace = createSampleRepo();
    const requestsBefore = server.requests.length;
    const result = await runCli(["agent", "--role", "coder", "--workspace", workspace, "--task", "x", "--model", "openai-compatible:no-price-model"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/No price is known for model "openai-compatible:no-price-model".*FACTORY_MODEL_PRICES/s);
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toMatchObject({ status: "error", stopReason: "error" });
    expect(server.requests.length).toBe(requestsBefore);
  });
});
