import { describe, expect, it } from "vitest";
import { createSampleRepo, createTestRun, scriptedModel } from "@/test/agent-fixtures";
import { useScriptedLlmServer } from "@/test/scripted-llm-fixtures";
import { secretCanaries } from "@/test/secret-canaries";
import { db } from "@/lib/db";
import { createAgentSession } from "./agent-session";
import { runAgentSession } from "./agent-loop";
import { readFailingTestCount, summarizeToolCall, type ToolActivityPayload } from "./tool-activity";

const server = await useScriptedLlmServer();

describe("agent.tool events", () => {
  it("records every workspace tool call of a session: role, task, iteration, target, exit code, lines changed", async () => {
    const workspace = createSampleRepo();
    const run = await createTestRun({ budgetUsd: 5 });
    const task = await db.task.create({ data: { runId: run.id, key: "greet", title: "Greet", description: "d", acceptanceCriteria: [], dependsOn: [] } });
    const session = await createAgentSession({ runId: run.id, taskId: task.id, role: "fixer", iteration: 2, model: scriptedModel, task: "Fix it." });
    server.push(
      { toolCalls: [{ name: "write_file", args: { path: "src/farewell.js", content: "a\nb\nc\n" } }] },
      { toolCalls: [{ name: "edit_file", args: { path: "README.md", oldText: "# Sample", newText: "# Sample\n\nMore." } }] },
      { toolCalls: [{ name: "run_command", args: { command: `echo "2 failing"; exit 1 # ${secretCanaries.GITHUB_TOKEN}` } }] },
      { toolCalls: [{ name: "read_file", args: { path: "missing.txt" } }] },
      { toolCalls: [{ name: "finish", args: { summary: "done" } }] },
    );
    await runAgentSession({ sessionId: session.id, workspace, turnsPerChunk: 5 });

    const events = await db.runEvent.findMany({ where: { runId: run.id, type: "agent.tool" }, orderBy: { seq: "asc" } });
    const payloads = events.map((event) => event.payload as ToolActivityPayload);
    expect(payloads.map((p) => p.tool)).toEqual(["write_file", "edit_file", "run_command", "read_file"]);
    for (const payload of payloads) expect(payload).toMatchObject({ sessionId: session.id, role: "fixer", taskKey: "greet", iteration: 2 });
    expect(payloads[0]).toMatchObject({ target: "src/farewell.js", linesAdded: 3, linesRemoved: 0, changedFiles: 1, error: null });
    expect(payloads[1]).toMatchObject({ target: "README.md", linesAdded: 3, linesRemoved: 1 });
    expect(payloads[2]).toMatchObject({ exitCode: 1, failingTests: 2 });
    expect(payloads[2].target).toContain("[redacted]");
    expect(JSON.stringify(payloads)).not.toContain(secretCanaries.GITHUB_TOKEN);
    expect(payloads[3].error).toMatch(/missing\.txt/);
    expect(payloads.every((p) => p.durationMs >= 0)).toBe(true);
  });
});

describe("summarizeToolCall", () => {
  it("caps long commands at 200 characters", () => {
    const summary = summarizeToolCall({ tool: "run_command", args: { command: "x".repeat(500) }, result: { output: "exit code: 0\nok", isError: false, changedFiles: [] } });
    expect(summary.target).toHaveLength(200);
    expect(summary.exitCode).toBe(0);
    expect(summary.failingTests).toBeNull();
  });

  it("reads failing counts from common runners", () => {
    expect(readFailingTestCount("Tests  3 failed | 10 passed")).toBe(3);
    expect(readFailingTestCount("  4 passing\n  2 failing")).toBe(2);
    expect(readFailingTestCount("# pass 5\n# fail 1")).toBe(1);
    expect(readFailingTestCount("all good")).toBeNull();
  });
});
