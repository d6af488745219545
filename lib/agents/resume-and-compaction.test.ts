import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSampleRepo, createTestRun, git, scriptedModel } from "@/test/agent-fixtures";
import { useScriptedLlmServer } from "@/test/scripted-llm-fixtures";
import { db } from "@/lib/db";
import { reserveBudget } from "@/lib/llm/budget-guard";
import { createAgentSession } from "./agent-session";
import { createDefaultCheckpointer, defaultToolkit } from "./workspace-toolkit";
import { runAgentSessionChunk, runAgentSession } from "./agent-loop";
import type { WorkspaceCheckpointer, WorkspaceToolkit } from "./workspace-toolkit";

/** A toolkit that dies like a crashed worker right after its nth tool call ran. */
function dyingAfter(calls: number) {
  const kill = new AbortController();
  let count = 0;
  const toolkit: WorkspaceToolkit = {
    ...defaultToolkit,
    run: async (name, args, context) => {
      const result = await defaultToolkit.run(name, args, context);
      if (++count === calls) kill.abort(new Error("worker killed"));
      return result;
    },
  };
  return { toolkit, signal: kill.signal };
}

const isPrefixOf = (before: unknown[], after: unknown[]) => before.every((message, i) => JSON.stringify(message) === JSON.stringify(after[i]));

const server = await useScriptedLlmServer();

const write = (file: string) => ({ toolCalls: [{ name: "write_file", args: { path: file, content: `${file}\n` } }] });

/**
 * A coder session writing a.txt to d.txt, one per turn, whose worker dies like a crashed one
 * right after its 4th tool call ran. Returns the saved session and the index of its first request.
 */
async function crashDuringFourthTurn(execute: typeof runAgentSessionChunk, turnsPerChunk: number) {
  const workspace = createSampleRepo();
  const run = await createTestRun({ budgetUsd: 5 });
  const { id: sessionId } = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: "Write four files." });
  const dying = dyingAfter(4);
  const first = server.requests.length;
  server.push(write("a.txt"), write("b.txt"), write("c.txt"), write("d.txt"));
  await expect(execute({ sessionId, workspace, turnsPerChunk, toolkit: dying.toolkit, abortSignal: dying.signal })).rejects.toThrow();
  const saved = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
  return { workspace, run, sessionId, first, saved };
}

describe("durable chunks", () => {
  it("resumes a session killed mid-chunk from the saved transcript and the committed workspace", async () => {
    // Chunks of 3 turns: the worker dies in the second chunk.
    const { workspace, run, sessionId, first, saved } = await crashDuringFourthTurn(runAgentSession, 3);
    expect(existsSync(path.join(workspace, "d.txt"))).toBe(true);
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

describe("turn-by-turn durability", () => {
  it("a crash mid-chunk loses only the turn in flight: completed turns are neither redone nor paid again", async () => {
    // One chunk of 10 turns, killed during its 4th.
    const { workspace, sessionId, first, saved } = await crashDuringFourthTurn(runAgentSessionChunk, 10);
    expect(saved).toMatchObject({ turns: 3, status: "running" });
    expect(git(workspace, "show", "--name-only", "--format=", saved.lastCommitSha!).split("\n")).toEqual(["c.txt"]);
    const killedRequest = server.requests[first + 3].json;

    server.push(
      (request) => {
        expect(request.json.messages).toEqual(killedRequest.messages);
        return write("d.txt");
      },
      { toolCalls: [{ name: "finish", args: { summary: "four files" } }] },
    );
    const outcome = await runAgentSession({ sessionId, workspace, turnsPerChunk: 10 });
    expect(outcome).toMatchObject({ stopReason: "finished", turns: 5, filesChanged: ["a.txt", "b.txt", "c.txt", "d.txt"] });
    // 4 requests before the crash, 2 after: turns 1-3 were not asked again.
    expect(server.requests.length - first).toBe(6);
    expect(await db.llmCall.count({ where: { sessionId, finishReason: { not: null } } })).toBe(6);
  });

  it("saves before it pushes: a crash between the two resumes from the saved commit and pushes a fast-forward", async () => {
    const workspace = createSampleRepo();
    const startSha = git(workspace, "rev-parse", "HEAD");
    const run = await createTestRun({ budgetUsd: 5 });
    const { id: sessionId } = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: "Write files.", branch: "factory/test-save-before-push" });
    const pushed: string[] = [];
    let isPushBroken = true;
    const checkpointer: WorkspaceCheckpointer = {
      ...createDefaultCheckpointer(),
      push: async (dir) => {
        const head = git(dir, "rev-parse", "HEAD");
        // What the database says when the push happens: it must already name this commit.
        const atPush = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId }, select: { lastCommitSha: true } });
        expect(atPush.lastCommitSha).toBe(head);
        if (isPushBroken) throw new Error("worker died while pushing");
        pushed.push(head);
      },
    };
    server.push(write("a.txt"), write("b.txt"));
    await expect(runAgentSessionChunk({ sessionId, workspace, turnsPerChunk: 2, checkpointer })).rejects.toThrow(/died while pushing/);
    const saved = await db.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(saved.turns).toBe(2);

    // The next attempt starts from the branch as the remote has it: without the unpushed commits.
    git(workspace, "reset", "--hard", "--quiet", startSha);
    isPushBroken = false;
    server.push({ toolCalls: [{ name: "finish", args: { summary: "done" } }] });
    const outcome = await runAgentSessionChunk({ sessionId, workspace, turnsPerChunk: 2, checkpointer });
    expect(outcome.stopReason).toBe("finished");
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toBe(saved.lastCommitSha);
    // A fast-forward of what was saved, not a diverging rebuild.
    git(workspace, "merge-base", "--is-ancestor", saved.lastCommitSha!, pushed[0]);
    expect(git(workspace, "ls-files").split("\n")).toEqual(expect.arrayContaining(["a.txt", "b.txt"]));
  });

  it("on a worker without the newest turns' commits, resumes from the newest turn whose commit it has", async () => {
    // One chunk of 10 turns, killed during its 4th.
    const { workspace, sessionId, first, saved } = await crashDuringFourthTurn(runAgentSessionChunk, 10);
    expect(saved.turns).toBe(3);
    const turn3Request = server.requests[first + 2].json;

    // This "other machine" lacks turn 3's commit.
    const missing = new Set([saved.lastCommitSha!]);
    const base = createDefaultCheckpointer();
    const checkpointer: WorkspaceCheckpointer = { ...base, hasCommit: async (dir, sha) => !missing.has(sha) && (await base.hasCommit!(dir, sha)) };
    server.push(
      (request) => {
        expect(request.json.messages).toEqual(turn3Request.messages);
        return write("c.txt");
      },
      { toolCalls: [{ name: "finish", args: { summary: "done" } }] },
    );
    const outcome = await runAgentSessionChunk({ sessionId, workspace, turnsPerChunk: 10, checkpointer });
    expect(outcome).toMatchObject({ stopReason: "finished", turns: 4, filesChanged: ["a.txt", "b.txt", "c.txt"] });
  });
});

describe("prompt-cache stability", () => {
  it("keeps every request's messages a byte-exact prefix of the next, across chunk boundaries", async () => {
    const workspace = createSampleRepo({ "notes.txt": "alpha\nbeta\n" });
    const run = await createTestRun({ budgetUsd: 5 });
    const { id: sessionId } = await createAgentSession({ runId: run.id, role: "coder", model: scriptedModel, task: "Edit notes." });
    const first = server.requests.length;
    // Argument keys in an order the database would not keep (JSONB sorts keys by length).
    const edit = (from: string, to: string) => ({ toolCalls: [{ name: "edit_file", args: { path: "notes.txt", oldText: from, newText: to } }] });
    server.push(
      edit("alpha", "alpha1"),
      { toolCalls: [{ name: "read_file", args: { path: "notes.txt", endLine: 2, startLine: 1 } }] },
      edit("beta", "beta1"),
      edit("alpha1", "alpha2"),
      edit("beta1", "beta2"),
      { toolCalls: [{ name: "finish", args: { summary: "edited" } }] },
    );
    const outcome = await runAgentSession({ sessionId, workspace, turnsPerChunk: 2 });
    expect(outcome).toMatchObject({ stopReason: "finished", turns: 6 });
    const requests = server.requests.slice(first);
    expect(requests).toHaveLength(6);
    for (let i = 1; i < requests.length; i++) {
      expect(isPrefixOf(requests[i - 1].json.messages, requests[i].json.messages), `request ${i + 1} breaks the prefix`).toBe(true);
    }
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
    const compactions = requests.filter((request, i) => i > 0 && !isPrefixOf(requests[i - 1].json.messages, request.json.messages)).length;
    expect(compactions).toBeGreaterThan(0);
    expect(compactions).toBeLessThan(turns / 3);
  });
});
