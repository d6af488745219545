import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSampleRepo, createTestRun, git, scriptedModel, useScriptedModel } from "../../test/agent-fixtures";
import { startScriptedLlmServer, type ScriptedLlmServer } from "../../test/scripted-llm-server";
import { db } from "../db";
import { reserveBudget } from "../llm/budget-guard";
import { createAgentSession } from "./create-agent-session";
import { defaultToolkit } from "./default-workspace";
import { runAgentSession } from "./run-agent-session";
import type { WorkspaceToolkit } from "./workspace-toolkit";

let server: ScriptedLlmServer;
beforeAll(async () => {
  server = await startScriptedLlmServer();
  useScriptedModel(server.baseUrl);
});
afterAll(() => server.close());

const write = (file: string) => ({ toolCalls: [{ name: "write_file", args: { path: file, content: `${file}\n` } }] });

describe("durable chunks", () => {
  it("resumes a session killed mid-chunk from the saved transcript and the committed workspace", async () => {
    const workspace = createSampleRepo();
    const run = await createTestRun({ budgetUsd: 5 });
    const { id: sessionId } = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: "Write four files." });
    const kill = new AbortController();
    let writes = 0;
    // Dies like a crashed worker right after the 4th tool call (in the second chunk) ran.
    const dyingToolkit: WorkspaceToolkit = {
      ...defaultToolkit,
      run: async (name, args, context) => {
        const result = await defaultToolkit.run(name, args, context);
        if (++writes === 4) kill.abort(new Error("worker killed"));
        return result;
      },
    };
    const first = server.requests.length;
    server.push(write("a.txt"), write("b.txt"), write("c.txt"), write("d.txt"));
    await expect(runAgentSession({ sessionId, workspace, turnsPerChunk: 3, toolkit: dyingToolkit, abortSignal: kill.signal })).rejects.toThrow();
    expect(existsSync(path.join(workspace, "d.txt"))).toBe(true);
    const saved = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(saved).toMatchObject({ turns: 3, status: "running" });
    expect(git(workspace, "rev-parse", "HEAD")).toBe(saved.lastCommitSha);
    const killedRequest = server.requests[first + 3].json;
    // A worker that dies during a model call leaves its reservation behind.
    expect(await reserveBudget({ runId: run.id, sessionId, amountUsd: "0.5", provider: "openai-compatible", model: "scripted-model" })).toBeTruthy();

    let isUncommittedWorkGone: boolean | undefined;
    server.push(
      (request) => {
        isUncommittedWorkGone = !existsSync(path.join(workspace, "d.txt"));
        // The resumed call sees exactly the history the killed one saw.
        expect(request.json.messages).toEqual(killedRequest.messages);
        return write("d.txt");
      },
      { toolCalls: [{ name: "finish", args: { summary: "four files" } }] },
    );
    const outcome = await runAgentSession({ sessionId, workspace, turnsPerChunk: 3 });
    expect(isUncommittedWorkGone).toBe(true);
    expect(outcome).toMatchObject({ stopReason: "finished", turns: 5, filesChanged: ["a.txt", "b.txt", "c.txt", "d.txt"] });
    expect(readFileSync(path.join(workspace, "d.txt"), "utf8")).toBe("d.txt\n");
    expect(git(workspace, "status", "--porcelain")).toBe("");
    // Calls of the lost chunk were real spend and stay recorded; the dead call's reservation is released.
    const calls = await db.llmCall.findMany({ where: { sessionId } });
    expect(calls).toHaveLength(7);
    expect(calls.filter((call) => call.error?.startsWith("abandoned"))).toHaveLength(1);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(Number(after.reservedUsd)).toBe(0);
    expect(after.spentUsd.toFixed(10)).toBe(outcome.costUsd);
  });
});

describe("context", () => {
  it("keeps prompts bounded over a long session and the stable prefix unchanged", async () => {
    const bigFile = Array.from({ length: 2_000 }, (_, i) => `line ${i}: ${"x".repeat(40)}`).join("\n");
    const workspace = createSampleRepo({ "big.txt": bigFile });
    const run = await createTestRun({ budgetUsd: 5 });
    const { id: sessionId } = await createAgentSession({ runId: run.id, role: "reviewer", model: scriptedModel, task: "Review big.txt." });
    const first = server.requests.length;
    const turns = 60;
    server.push(
      ...Array.from({ length: turns - 1 }, (_, i) => ({ toolCalls: [{ name: "read_file", args: { path: "big.txt", startLine: i * 20 + 1 } }] })),
      { toolCalls: [{ name: "submit_review", args: { verdict: "approve", summary: "fine", comments: [] } }] },
    );
    const outcome = await runAgentSession({
      sessionId,
      workspace,
      turnsPerChunk: 10,
      maxTurns: 100,
      maxToolOutputBytes: 4_000,
      context: { budgetBytes: 40_000, targetBytes: 20_000, keepRecentTurns: 4 },
    });
    expect(outcome).toMatchObject({ stopReason: "submitted", turns });

    const requests = server.requests.slice(first);
    const sizes = requests.map((request) => Buffer.byteLength(request.body));
    // Without compaction the last prompt would hold ~60 x 4 KB of file output.
    expect(Math.max(...sizes)).toBeLessThan(60_000);
    expect(sizes.at(-1)!).toBeLessThan(sizes[0] + 50_000);
    const last = requests.at(-1)!.json;
    expect(JSON.stringify([last.tools, last.messages.slice(0, 2)])).toBe(JSON.stringify([requests[0].json.tools, requests[0].json.messages.slice(0, 2)]));
    expect(String(last.messages[2].content)).toMatch(/Earlier turns were compacted/);
    // Compaction is rare: most calls repeat the previous call's prompt as their prefix.
    const isPrefixOf = (before: unknown[], after: unknown[]) => before.every((message, i) => JSON.stringify(message) === JSON.stringify(after[i]));
    const compactions = requests.filter((request, i) => i > 0 && !isPrefixOf(requests[i - 1].json.messages, request.json.messages)).length;
    expect(compactions).toBeGreaterThan(0);
    expect(compactions).toBeLessThan(turns / 3);
  });
});
