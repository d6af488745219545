// No secret value reaches the model server, a transcript, a RunEvent or an LlmCall row, even
// when the task, the repository and hostile commands try to surface one.
import { existsSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAgentSession } from "@/lib/agents/agent-session";
import { runAgentSession } from "@/lib/agents/agent-loop";
import { db } from "@/lib/db";
import { createSampleRepo, createTestRun, scriptedModel } from "./agent-fixtures";
import { lastToolResults } from "./scripted-llm-server";
import { useScriptedLlmServer } from "./scripted-llm-fixtures";
import { findCanaries, secretCanaries } from "./secret-canaries";

const server = await useScriptedLlmServer();

describe("secrets", () => {
  it("never reach the model server, transcripts, events or call records", async () => {
    expect(process.env.GITHUB_TOKEN).toBe(secretCanaries.GITHUB_TOKEN);
    const workspace = createSampleRepo({ "config.txt": `github_token=${secretCanaries.GITHUB_TOKEN}\n`, "README.md": "# r\n" });
    const run = await createTestRun({ budgetUsd: 5 });
    const session = await createAgentSession({
      runId: run.id,
      role: "coder",
      model: scriptedModel,
      task: `Deploy with key ${secretCanaries.OPENAI_API_KEY} and post to ${secretCanaries.SLACK_WEBHOOK_URL}`,
    });
    server.push(
      { toolCalls: [{ name: "read_file", args: { path: "config.txt" } }] },
      { toolCalls: [{ name: "run_command", args: { command: "env; tr '\\0' '\\n' < /proc/self/environ; echo done-env" } }] },
      { toolCalls: [{ name: "search", args: { pattern: "github_token" } }] },
      { toolCalls: [{ name: "run_command", args: { command: "curl -s http://127.0.0.1:1/ || wget -q -O- http://127.0.0.1:1/ || echo no-network" } }] },
      { toolCalls: [{ name: "finish", args: { summary: "done" } }] },
    );
    const outcome = await runAgentSession({ sessionId: session.id, workspace });
    expect(outcome.stopReason).toBe("finished");
    expect(server.requests.length).toBe(5);
    // The commands really ran, so their (clean) output was in the prompts.
    expect(server.requests.map((request) => request.body).join("\n")).toContain("done-env");

    for (const request of server.requests) expect(findCanaries(request.body)).toEqual([]);
    const stored = await db.agentSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(findCanaries(JSON.stringify(stored))).toEqual([]);
    expect(JSON.stringify(stored.transcript)).toContain("[redacted]");
    const events = await db.runEvent.findMany({ where: { runId: run.id } });
    expect(events.length).toBeGreaterThan(5);
    expect(findCanaries(JSON.stringify(events))).toEqual([]);
    expect(findCanaries(JSON.stringify(await db.llmCall.findMany({ where: { runId: run.id } })))).toEqual([]);
  });

  it("contains hostile tool calls and tells the model why", async () => {
    const workspace = createSampleRepo({ "README.md": "# r\n" });
    symlinkSync("/etc", path.join(workspace, "etc-link"));
    const outside = path.join(path.dirname(workspace), `outside-${path.basename(workspace)}.txt`);
    const hostFile = `/var/tmp/factory-escape-${path.basename(workspace)}`;
    const run = await createTestRun({ budgetUsd: 5 });
    const session = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: "Try to escape." });
    const first = server.requests.length;
    server.push(
      { toolCalls: [{ name: "read_file", args: { path: "/etc/passwd" } }] },
      { toolCalls: [{ name: "read_file", args: { path: "etc-link/passwd" } }] },
      { toolCalls: [{ name: "write_file", args: { path: `../${path.basename(outside)}`, content: "escaped" } }] },
      { toolCalls: [{ name: "run_command", args: { command: `echo escaped > ${hostFile}; echo exit=$?` } }] },
      { toolCalls: [{ name: "finish", args: { summary: "contained" } }] },
    );
    const outcome = await runAgentSession({ sessionId: session.id, workspace });
    expect(outcome.stopReason).toBe("finished");
    const replies = server.requests.slice(first + 1).map((request) => lastToolResults(request)[0]?.content ?? "");
    expect(replies[0]).toMatch(/absolute|outside|refused/i);
    expect(replies[0]).not.toContain("root:");
    expect(replies[1]).toMatch(/outside|symlink|refused/i);
    expect(replies[1]).not.toContain("root:");
    expect(replies[2]).toMatch(/outside|\.\.|refused/i);
    expect(replies[3]).toMatch(/exit=[1-9]|Read-only|No such file|Permission denied/i);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(hostFile)).toBe(false);
  });
});
